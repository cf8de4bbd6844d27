/**
 * JSON over HTTP to the bridge, shared by the widget's API clients. `fetch` is injected so every client runs
 * (and is tested) in node. Credentials are never sent: the widget lives on another company's origin, and the
 * bridge authorises with the visitor's bearer token only.
 */
import { WidgetError } from './widget-errors.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface JsonRequest {
  readonly method: 'GET' | 'POST';
  /** The visitor token, sent as `Authorization: Bearer …` (RFC 6750 §2.1). */
  readonly token?: string;
  readonly payload?: unknown;
  readonly signal?: AbortSignal;
}

export interface JsonAnswer {
  readonly status: number;
  readonly ok: boolean;
  /** The parsed body, or `undefined` when there was none or it was not JSON. */
  readonly body: unknown;
}

/** Rejects only with `WIDGET_ERR_BRIDGE_UNREACHABLE` (the network failed); any HTTP status resolves. */
export async function sendJson(fetchImpl: FetchLike, url: string, request: JsonRequest): Promise<JsonAnswer> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: request.method,
      headers: {
        accept: 'application/json',
        ...(request.payload === undefined ? {} : { 'content-type': 'application/json' }),
        ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
      },
      ...(request.payload === undefined ? {} : { body: JSON.stringify(request.payload) }),
      credentials: 'omit',
      mode: 'cors',
      ...(request.signal ? { signal: request.signal } : {}),
    });
  } catch (error) {
    throw WidgetError.unreachable(error);
  }
  const body: unknown = await response.json().catch(() => undefined);
  return { status: response.status, ok: response.ok, body };
}

export interface ErrorBody {
  readonly code: string | undefined;
  readonly message: string;
  readonly fieldErrors: Record<string, string[]> | undefined;
}

/** The bridge's `{ error: { code, message, fieldErrors } }`, each part optional and type-checked. */
export function readErrorBody(body: unknown): ErrorBody {
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const fieldErrors: Record<string, string[]> = {};
  if (isRecord(error.fieldErrors)) {
    for (const [field, messages] of Object.entries(error.fieldErrors)) {
      if (Array.isArray(messages)) fieldErrors[field] = messages.filter((m): m is string => typeof m === 'string');
    }
  }
  return {
    code: typeof error.code === 'string' ? error.code : undefined,
    message: typeof error.message === 'string' ? error.message : 'The call service refused the request',
    fieldErrors: Object.keys(fieldErrors).length > 0 ? fieldErrors : undefined,
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
