/**
 * Client for the bridge's visitor API, authorised by the visitor token from `POST /api/visitor-token`
 * (`Authorization: Bearer <token>`):
 *
 * - `GET /api/visitor/callback-slots` → `{ slots: [ISO instant…], timeZone: "Asia/Jakarta" }`: the times inside
 *   the queue's hours a callback can be booked for (up to ~7 days ahead).
 * - `POST /api/visitor/callbacks` `{ at, phone? }` → 201 `{ id, at }`; 400 `{ error: { message, fieldErrors } }`
 *   when the slot is no longer offered (or the phone is unusable). `phone` only when the token has none
 *   (`direct` mode); otherwise the bridge calls back the number sealed in the token.
 * - `POST /api/visitor/keep-place` `{ callId, phone? }` → 200 `{ ok: true }`: the bridge keeps the waiting call's
 *   place (the SIP Call-ID of the visitor's INVITE) and calls back when it reaches the head of the queue.
 *
 * Every 4xx becomes `WIDGET_ERR_REQUEST_REJECTED` with the status and the bridge's field errors; a 401 means
 * the token expired, which {@link VisitorSession} handles by getting a fresh one.
 */
import { isRecord, readErrorBody, sendJson, type FetchLike, type JsonRequest } from './bridge-http.js';
import { normaliseSlots } from './callback-slots.js';
import { WidgetError } from './widget-errors.js';

export interface CallbackSlots {
  /** Valid instants only, sorted, as the bridge spelled them. */
  readonly slots: readonly string[];
  /** The queue's IANA zone (informational: the visitor sees their own). */
  readonly timeZone: string | undefined;
}

export interface BookedCallback {
  readonly id: string;
  readonly at: string;
}

export interface CallbackRequest {
  readonly at: string;
  readonly phone?: string;
}

export interface KeepPlaceRequest {
  readonly callId: string;
  readonly phone?: string;
}

export interface VisitorApi {
  callbackSlots(token: string): Promise<CallbackSlots>;
  bookCallback(token: string, request: CallbackRequest): Promise<BookedCallback>;
  keepPlace(token: string, request: KeepPlaceRequest): Promise<void>;
}

export function createVisitorApi(baseUrl: string, fetchImpl: FetchLike): VisitorApi {
  const call = async (path: string, request: JsonRequest): Promise<unknown> => {
    const answer = await sendJson(fetchImpl, new URL(path, baseUrl).href, request);
    if (answer.status >= 400 && answer.status < 500) {
      const error = readErrorBody(answer.body);
      throw WidgetError.requestRejected(answer.status, error.code, error.message, error.fieldErrors);
    }
    if (!answer.ok) throw WidgetError.bridgeFailed(answer.status);
    return answer.body;
  };

  return {
    async callbackSlots(token) {
      const body = await call('api/visitor/callback-slots', { method: 'GET', token });
      if (!isRecord(body) || !Array.isArray(body.slots)) throw WidgetError.badResponse('slots');
      return {
        slots: normaliseSlots(body.slots),
        timeZone: typeof body.timeZone === 'string' && body.timeZone.length <= 64 ? body.timeZone : undefined,
      };
    },

    async bookCallback(token, request) {
      const body = await call('api/visitor/callbacks', { method: 'POST', token, payload: request });
      if (!isRecord(body) || typeof body.id !== 'string' || body.id === '') throw WidgetError.badResponse('callback id');
      return { id: body.id, at: typeof body.at === 'string' && body.at !== '' ? body.at : request.at };
    },

    async keepPlace(token, request) {
      const body = await call('api/visitor/keep-place', { method: 'POST', token, payload: request });
      if (!isRecord(body) || body.ok !== true) throw WidgetError.badResponse('keep-place');
    },
  };
}
