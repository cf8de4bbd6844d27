/**
 * The visitor's SIP leg: one JsSIP user agent, one outgoing session to the queue URI, torn down together.
 *
 * Contract (see docs in the brief / `docs/architecture.md`): `register: false`, identity from the token
 * grant, `authorization_jwt: 'Bearer <token>'` so JsSIP sends `Authorization: Bearer …` (RFC 8898) on its
 * requests, no session timers. The bridge anchors the media and plays hold audio; it reports queue progress
 * in provisional responses (182 Queued + position and estimated wait, 183 with early media, 180 while an agent
 * rings) and a 200 OK naming the agent — `status-info.ts` reads them; when the queue will not hold the call it
 * ends the INVITE with 480 and a deflection (`deflection.ts`), or answers it with a 200 OK carrying
 * `X-Sambung-Voicemail` and records the visitor's message (`voicemail.ts`) until either side sends BYE.
 */
import { UA, WebSocketInterface } from 'jssip';
import type {
  IncomingEvent, OutgoingEvent, RTCSession,
} from 'jssip/lib/RTCSession';
import type { IncomingResponse } from 'jssip/lib/SIPMessage';
import { DEFLECTION_HEADER, parseDeflectionHeader, type Deflection } from './deflection.js';
import { capIceGathering } from '../../../browser-kit/src/ice-gathering.js';
import { parseAnswerStatus, parseProgressStatus, type QueueStatus } from './status-info.js';
import type { VisitorCallGrant } from './token-client.js';
import { VOICEMAIL_HEADER } from './voicemail.js';
import { WidgetError } from './widget-errors.js';

export interface VisitorCallEvents {
  status(status: QueueStatus): void;
  remoteStream(stream: MediaStream): void;
  /**
   * Fired exactly once, after which the call object is inert. `deflection` is set when the bridge ended the
   * INVITE with 480 and an `X-Sambung-Deflection` alternative.
   */
  ended(end: {
    readonly originator: 'local' | 'remote' | 'system';
    readonly cause: string;
    readonly deflection?: Deflection;
  }): void;
}

export interface VisitorCall {
  /**
   * The SIP Call-ID of the INVITE (RFC 3261 §8.1.1.4) — what `POST /api/visitor/keep-place` names the waiting
   * call by. `undefined` until JsSIP has built the INVITE (before ICE gathering completes).
   */
  readonly callId: string | undefined;
  hangup(): void;
  setMuted(muted: boolean): void;
  /** One DTMF tone (`0-9`, `*`, `#`), sent by JsSIP as INFO `application/dtmf-relay`. */
  sendDigit(digit: string): void;
}

const CONNECT_TIMEOUT_MS = 10_000;

/** Opens the WebSocket, then INVITEs the queue. Rejects with `WIDGET_ERR_BRIDGE_UNREACHABLE` if it cannot connect. */
export async function startVisitorCall(
  grant: VisitorCallGrant,
  localStream: MediaStream,
  events: VisitorCallEvents,
): Promise<VisitorCall> {
  const ua = new UA({
    sockets: [new WebSocketInterface(grant.sip.wsUrl)],
    uri: grant.sip.visitorUri,
    display_name: grant.sip.displayName,
    authorization_jwt: `Bearer ${grant.token}`,
    register: false,
    session_timers: false,
    user_agent: 'Sambung-Widget',
  });
  await connect(ua);

  let ended = false;
  let callId: string | undefined;
  const finish = (originator: 'local' | 'remote' | 'system', cause: string, deflection?: Deflection | null): void => {
    if (ended) return;
    ended = true;
    ua.stop();
    events.ended(deflection ? { originator, cause, deflection } : { originator, cause });
  };

  const session: RTCSession = ua.call(grant.sip.queueUri, {
    mediaStream: localStream,
    mediaConstraints: { audio: true, video: false },
    pcConfig: { iceServers: [...grant.iceServers], bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' },
    eventHandlers: {
      // JsSIP keeps the INVITE it builds private; the public view of it is the request handed to `connecting`
      // (emitted before ICE gathering) and `sending`. Both carry the same Call-ID.
      connecting: ({ request }) => {
        if ('call_id' in request && typeof request.call_id === 'string') callId ??= request.call_id;
      },
      sending: ({ request }) => {
        callId ??= request.call_id;
      },
      peerconnection: ({ peerconnection }) => {
        peerconnection.addEventListener('track', (event: RTCTrackEvent) => {
          events.remoteStream(event.streams[0] ?? new MediaStream([event.track]));
        });
      },
    },
  });
  capIceGathering(session);
  session.on('progress', (event: IncomingEvent | OutgoingEvent) => {
    if (event.originator !== 'remote') return;
    const { response } = event as OutgoingEvent;
    const status = parseProgressStatus(response.status_code, {
      position: header(response, 'X-Sambung-Queue-Position'),
      estimatedWait: header(response, 'X-Sambung-Estimated-Wait'),
    });
    if (status) events.status(status);
  });
  session.on('accepted', (event: IncomingEvent | OutgoingEvent) => {
    // The bridge sends its 200 OK when an agent has answered, or to record a voicemail.
    const response = event.originator === 'remote' ? (event as OutgoingEvent).response : undefined;
    events.status(parseAnswerStatus(response ? {
      agent: header(response, 'X-Sambung-Agent'),
      voicemail: header(response, VOICEMAIL_HEADER),
    } : {}));
  });
  session.on('ended', (event) => finish(event.originator as 'local' | 'remote' | 'system', event.cause));
  session.on('failed', (event) => {
    // A final non-2xx from the bridge arrives as the IncomingResponse in `message` (originator `remote`).
    const response = event.originator === 'remote' ? event.message as Partial<IncomingResponse> | undefined : undefined;
    const deflection = response?.status_code === 480 && typeof response.getHeader === 'function'
      ? parseDeflectionHeader(header(response as IncomingResponse, DEFLECTION_HEADER)) : null;
    finish(event.originator as 'local' | 'remote' | 'system', event.cause, deflection);
  });

  return {
    get callId() {
      return callId;
    },
    hangup() {
      if (ended) return;
      if (session.isEnded()) finish('local', 'Terminated');
      else session.terminate();
    },
    setMuted(muted) {
      if (ended) return;
      if (muted) session.mute({ audio: true });
      else session.unmute({ audio: true });
    },
    sendDigit(digit) {
      if (ended || !/^[0-9*#]$/.test(digit) || !session.isEstablished()) return;
      session.sendDTMF(digit);
    },
  };
}

function connect(ua: UA): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (cause: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ua.stop();
      reject(WidgetError.unreachable(cause));
    };
    const timer = setTimeout(() => fail(new Error('SIP WebSocket connect timeout')), CONNECT_TIMEOUT_MS);
    ua.on('connected', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve();
    });
    // JsSIP keeps retrying after a failed attempt; for a visitor one failed attempt means "unreachable".
    ua.on('disconnected', (event) => fail(new Error(`SIP WebSocket closed (${event.code ?? 'no code'})`)));
    try {
      ua.start();
    } catch (error) {
      fail(error);
    }
  });
}

function header(message: { hasHeader(name: string): boolean; getHeader(name: string): string }, name: string):
  string | undefined {
  return message.hasHeader(name) ? message.getHeader(name) : undefined;
}
