/**
 * The agent's SIP side: one registered JsSIP user agent (SIP digest auth, RFC 3261 §22), the calls the bridge
 * INVITEs it into, and the calls the agent places (click-to-dial: an INVITE to `sip:<user>@<tenant domain>`,
 * which JsSIP authenticates with the same digest credentials when the bridge challenges it). Everything
 * JsSIP-specific lives here; the controller sees {@link AgentCall}.
 */
import { UA, WebSocketInterface } from 'jssip';
import type { IncomingRTCSessionEvent, OutgoingRTCSessionEvent } from 'jssip/lib/UA';
import type {
  EndEvent, IncomingEvent, IncomingInfoEvent, OutgoingEvent, OutgoingInfoEvent, RTCSession,
} from 'jssip/lib/RTCSession';
import type { IncomingResponse } from 'jssip/lib/SIPMessage';
import type { AgentSession } from './api-client.js';
import { CALL_KIND_HEADER, decodeCallKind, type CallKind } from './call-kind.js';
import { decodeCallerHeaders } from './caller-headers.js';
import type { CallerContact, CallerInfo } from './host-adapter.js';
import { capIceGathering } from '../../../browser-kit/src/ice-gathering.js';
import type { RecordingAction } from './recording-control.js';
import { SoftphoneError } from './softphone-errors.js';

export const CONTROL_CONTENT_TYPE = 'application/vnd.sambung.control+json';
const CONTROL_TIMEOUT_MS = 8000;
const AUDIO_ONLY = { audio: true, video: false } as const;

/** How a call ended. */
export interface CallEnd {
  /** `local`: this softphone ended, declined or cancelled it. */
  readonly originator: 'local' | 'remote' | 'system';
  /** JsSIP's cause (`Terminated`, `Canceled`, `Busy`, `Not Found`, `User Denied Media Access`, …). */
  readonly cause: string;
  /** The final SIP status that refused an outgoing call (403, 404, 480, 486, 603, …), when one came. */
  readonly status?: number;
}

export interface AgentCallEvents {
  /** The call is answered: our 200 OK went out (incoming), or the callee's 200 OK arrived (outgoing). */
  accepted(): void;
  /** Outgoing calls only: the callee's phone rings (a provisional response beyond 100 Trying). */
  progress?(): void;
  remoteStream(stream: MediaStream): void;
  /** Exactly once. */
  ended(end: CallEnd): void;
}

/** One call: offered by the bridge (incoming) or placed by the agent (outgoing). */
export interface AgentCall {
  readonly direction: 'incoming' | 'outgoing';
  /** The other party: who calls in, or whom the agent dials. */
  readonly caller: CallerInfo;
  /** `callback` when the ACD offers a scheduled or kept-place callback (`X-Sambung-Call-Kind`). */
  readonly kind: CallKind;
  /** Set by the controller synchronously when the call arrives. */
  events: AgentCallEvents | undefined;
  /** Incoming calls only. */
  answer(): void;
  /** Incoming calls only: 486 Busy Here or 603 Decline (RFC 3261 §21.4.24, §21.6.2). */
  reject(statusCode: 486 | 603): void;
  /** BYE once answered; CANCEL while an outgoing call is still ringing (RFC 3261 §9.1). */
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
  /**
   * Places an audio call to `sip:<user>@<tenant SIP domain>`; `callee` is whom the agent dials, as the call log
   * names them. Throws when JsSIP cannot start it (invalid target, no WebRTC); later failures arrive as `ended`.
   */
  call(user: string, callee: CallerContact): AgentCall;
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
    call(user, callee) {
      const rtc = ua.call(`sip:${user}@${session.sip.domain}`, {
        mediaConstraints: AUDIO_ONLY,
        pcConfig,
        rtcOfferConstraints: { offerToReceiveAudio: true, offerToReceiveVideo: false },
      });
      // The session id (Call-ID + From tag) keeps the call log idempotent, as the bridge's id does for incoming.
      return wrapCall(rtc, { ...callee, callId: rtc.id, queue: '' }, 'call', pcConfig);
    },
  };
}

function wrapCall(session: RTCSession, caller: CallerInfo, kind: CallKind, pcConfig: RTCConfiguration): AgentCall {
  let ended = false;
  const finish = (event: EndEvent): void => {
    if (ended) return;
    ended = true;
    const originator = event.originator as CallEnd['originator'];
    const status = originator === 'remote' ? (event.message as Partial<IncomingResponse> | null)?.status_code : undefined;
    call.events?.ended({ originator, cause: event.cause, ...(typeof status === 'number' ? { status } : {}) });
  };
  const listen = (peerconnection: RTCPeerConnection): void => {
    peerconnection.addEventListener('track', (event: RTCTrackEvent) => {
      call.events?.remoteStream(event.streams[0] ?? new MediaStream([event.track]));
    });
  };
  // An outgoing session has its peer connection already (JsSIP creates it inside `ua.call`); an incoming one
  // gets it when answered.
  if (session.direction === 'outgoing' && session.connection) listen(session.connection);
  else session.on('peerconnection', ({ peerconnection }) => listen(peerconnection));
  session.on('progress', (event: IncomingEvent | OutgoingEvent) => {
    if (event.originator === 'remote') call.events?.progress?.();
  });
  session.on('accepted', () => call.events?.accepted());
  session.on('ended', finish);
  session.on('failed', finish);
  capIceGathering(session);

  const call: AgentCall = {
    direction: session.direction === 'outgoing' ? 'outgoing' : 'incoming',
    caller,
    kind,
    events: undefined,
    answer() {
      if (ended || call.direction !== 'incoming' || !session.isInProgress()) return;
      session.answer({ mediaConstraints: { audio: true, video: false }, pcConfig });
    },
    reject(statusCode) {
      if (ended || call.direction !== 'incoming' || !session.isInProgress()) return;
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
