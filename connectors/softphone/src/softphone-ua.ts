/**
 * The agent's SIP side: one registered JsSIP user agent (SIP digest auth, RFC 3261 §22) and the calls the
 * bridge INVITEs it into. Everything JsSIP-specific lives here; the controller sees {@link AgentCall}.
 */
import { UA, WebSocketInterface } from 'jssip';
import type { IncomingRTCSessionEvent, OutgoingRTCSessionEvent } from 'jssip/lib/UA';
import type { EndEvent, IncomingInfoEvent, OutgoingInfoEvent, RTCSession } from 'jssip/lib/RTCSession';
import type { AgentSession } from './api-client.js';
import { CALL_KIND_HEADER, decodeCallKind, type CallKind } from './call-kind.js';
import { decodeCallerHeaders } from './caller-headers.js';
import type { CallerInfo } from './host-adapter.js';
import { capIceGathering } from './ice-gathering.js';
import type { RecordingAction } from './recording-control.js';
import { SoftphoneError } from './softphone-errors.js';

export const CONTROL_CONTENT_TYPE = 'application/vnd.sambung.control+json';
const CONTROL_TIMEOUT_MS = 8000;

export interface AgentCallEvents {
  /** Our 200 OK went out: the call is answered. */
  accepted(): void;
  remoteStream(stream: MediaStream): void;
  /** Exactly once. `originator` `local` means this softphone ended or declined it. */
  ended(end: { readonly originator: 'local' | 'remote' | 'system'; readonly cause: string }): void;
}

/** One call the bridge offered this agent. */
export interface AgentCall {
  readonly caller: CallerInfo;
  /** `callback` when the ACD offers a scheduled or kept-place callback (`X-Sambung-Call-Kind`). */
  readonly kind: CallKind;
  /** Set by the controller synchronously when the call arrives. */
  events: AgentCallEvents | undefined;
  answer(): void;
  /** 486 Busy Here or 603 Decline (RFC 3261 §21.4.24, §21.6.2). */
  reject(statusCode: 486 | 603): void;
  hangup(): void;
  setMuted(muted: boolean): void;
  /** Asks the bridge to hold/resume the caller (it plays hold audio meanwhile). Resolves on its 200. */
  setHold(held: boolean): Promise<void>;
  /**
   * Asks the bridge to pause or resume this call's recording. Resolves on its 200; rejects with a
   * `SOFTPHONE_ERR_CONTROL_REFUSED` {@link SoftphoneError} carrying the status (409: the call is not recorded),
   * `SOFTPHONE_ERR_CONTROL_TIMEOUT`, or JsSIP's error when the dialog cannot send it.
   */
  sendRecordingControl(action: RecordingAction): Promise<void>;
}

export interface AgentUaEvents {
  registration(registered: boolean, detail: string): void;
  incoming(call: AgentCall): void;
}

export interface AgentUa {
  start(): void;
  /** Unregisters, ends any call, closes the WebSocket. Idempotent. */
  stop(): void;
}

export function createAgentUa(session: AgentSession, password: string, events: AgentUaEvents): AgentUa {
  const ua = new UA({
    sockets: [new WebSocketInterface(session.sip.wsUrl)],
    uri: session.sip.uri,
    authorization_user: session.sip.authorizationUser,
    password,
    display_name: session.agent.displayName,
    register: true,
    session_timers: false,
    user_agent: 'Sambung-Softphone',
  });
  const pcConfig: RTCConfiguration = {
    iceServers: [...session.iceServers],
    bundlePolicy: 'max-bundle',
    rtcpMuxPolicy: 'require',
  };

  ua.on('registered', () => events.registration(true, 'Registered'));
  ua.on('unregistered', () => events.registration(false, 'Not registered'));
  ua.on('registrationFailed', (event) => events.registration(false, `Registration failed (${event.cause ?? 'unknown'})`));
  ua.on('disconnected', () => events.registration(false, 'Connection lost — reconnecting…'));
  ua.on('newRTCSession', (event: IncomingRTCSessionEvent | OutgoingRTCSessionEvent) => {
    if (event.originator !== 'remote') return;
    const { session: rtc, request } = event;
    const read = (name: string): string | undefined => request.getHeader(name) || undefined;
    const caller = decodeCallerHeaders(read, rtc.id);
    events.incoming(wrapCall(rtc, caller, decodeCallKind(read(CALL_KIND_HEADER)), pcConfig));
  });

  let stopped = false;
  return {
    start: () => ua.start(),
    stop() {
      if (stopped) return;
      stopped = true;
      ua.stop();
    },
  };
}

function wrapCall(session: RTCSession, caller: CallerInfo, kind: CallKind, pcConfig: RTCConfiguration): AgentCall {
  let ended = false;
  const finish = (event: EndEvent): void => {
    if (ended) return;
    ended = true;
    call.events?.ended({ originator: event.originator as 'local' | 'remote' | 'system', cause: event.cause });
  };
  session.on('peerconnection', ({ peerconnection }) => {
    peerconnection.addEventListener('track', (event: RTCTrackEvent) => {
      call.events?.remoteStream(event.streams[0] ?? new MediaStream([event.track]));
    });
  });
  session.on('accepted', () => call.events?.accepted());
  session.on('ended', finish);
  session.on('failed', finish);
  capIceGathering(session);

  const call: AgentCall = {
    caller,
    kind,
    events: undefined,
    answer() {
      if (ended || !session.isInProgress()) return;
      session.answer({ mediaConstraints: { audio: true, video: false }, pcConfig });
    },
    reject(statusCode) {
      if (ended || !session.isInProgress()) return;
      session.terminate({ status_code: statusCode, reason_phrase: statusCode === 486 ? 'Busy Here' : 'Decline' });
    },
    hangup() {
      if (!ended) session.terminate();
    },
    setMuted(muted) {
      if (ended) return;
      if (muted) session.mute({ audio: true });
      else session.unmute({ audio: true });
    },
    setHold(held) {
      return sendControl(session, { action: held ? 'hold' : 'unhold' });
    },
    sendRecordingControl(action) {
      return sendControl(session, { action });
    },
  };
  return call;
}

/**
 * In-dialog INFO (RFC 6086) carrying a control action for the bridge. Not `session.hold()`: a hold re-INVITE
 * would renegotiate media, while the bridge anchors media and only needs to switch the caller to hold audio.
 */
function sendControl(session: RTCSession, body: { action: string }): Promise<void> {
  // JsSIP's typings extend Node's EventEmitter, whose types this browser project does not load.
  const emitter = (target: unknown) => target as Emitter;
  return new Promise((resolve, reject) => {
    // A lost transport never answers; do not leave the hold button waiting forever (RFC 3261 Timer F is 32 s).
    const timer = setTimeout(() => reject(SoftphoneError.controlTimeout()), CONTROL_TIMEOUT_MS);
    // JsSIP 3.13's sendInfo() takes no eventHandlers (its options are extraHeaders only): the response comes
    // as `succeeded` / `failed` on the Info object, which `newInfo` (originator `local`) hands over before the
    // request leaves, so the listeners are in place before any answer.
    const onInfo = (event: IncomingInfoEvent | OutgoingInfoEvent): void => {
      if (event.originator !== 'local') return;
      emitter(session).removeListener('newInfo', onInfo);
      emitter(event.info).once('succeeded', () => {
        clearTimeout(timer);
        resolve();
      });
      emitter(event.info).once('failed', (e: { response?: { status_code?: number } }) => {
        clearTimeout(timer);
        reject(SoftphoneError.controlRefused(e.response?.status_code));
      });
    };
    session.on('newInfo', onInfo);
    try {
      session.sendInfo(CONTROL_CONTENT_TYPE, JSON.stringify(body));
    } catch (error) {
      clearTimeout(timer);
      emitter(session).removeListener('newInfo', onInfo);
      reject(error);
    }
  });
}

interface Emitter {
  once(event: string, listener: (...args: never[]) => void): void;
  removeListener(event: string, listener: (...args: never[]) => void): void;
}
