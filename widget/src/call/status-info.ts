/**
 * Decoding of the bridge's queue status, carried by the responses to the visitor's INVITE: `183 Session
 * Progress` with SDP (early media: hold audio, waiting), `182 Queued` (RFC 3261 §21.1.3) with
 * `X-Sambung-Queue-Position: 2` and `X-Sambung-Estimated-Wait: 170` (whole seconds; absent when the bridge
 * cannot estimate), `180 Ringing` while an agent's softphone rings, and the final `200 OK` — sent only once an
 * agent answered — with `X-Sambung-Agent: <percent-encoded name>`, or when the call went to voicemail with
 * `X-Sambung-Voicemail` instead (`voicemail.ts`).
 *
 * Pure. Anything malformed decodes to "no detail": status is advisory, the SIP dialog itself is the truth.
 */
import { cleanText, percentDecode } from './clean-text.js';
import { parseVoicemailHeader, type Voicemail } from './voicemail.js';

/** What one provisional response says about the visitor's place in the queue. */
export type QueueUpdate =
  /** 182 Queued: a complete snapshot — a field it lacks is unknown now, not "as before". */
  | { readonly kind: 'queued'; readonly position?: number; readonly estimatedWaitSec?: number }
  /** 180 Ringing: an agent is being offered the call. */
  | { readonly kind: 'ringing' }
  /** 183 and any other 1xx: still waiting, nothing new. */
  | { readonly kind: 'progress' };

export type QueueStatus =
  | { readonly state: 'waiting'; readonly update: QueueUpdate }
  | { readonly state: 'connected'; readonly agent?: string }
  /** The bridge answered to record a message, not to connect an agent. */
  | { readonly state: 'voicemail'; readonly voicemail: Voicemail };

export interface AnswerHeaders {
  readonly agent?: string | undefined;
  readonly voicemail?: string | undefined;
}

export interface ProgressHeaders {
  readonly position?: string | undefined;
  readonly estimatedWait?: string | undefined;
}

const AGENT_NAME_MAX = 80;
/** A week; anything longer is not an estimate a visitor should be shown. */
const ESTIMATE_MAX_SEC = 7 * 24 * 3600;
const POSITION_MAX = 100_000;

/** Status carried by a provisional (1xx) response to the visitor's INVITE; `null` for 100 Trying. */
export function parseProgressStatus(statusCode: number, headers: ProgressHeaders = {}): QueueStatus | null {
  if (statusCode <= 100 || statusCode >= 200) return null;
  if (statusCode === 180) return { state: 'waiting', update: { kind: 'ringing' } };
  if (statusCode !== 182) return { state: 'waiting', update: { kind: 'progress' } };
  const position = parseCount(headers.position, 1, POSITION_MAX);
  const estimatedWaitSec = parseCount(headers.estimatedWait, 0, ESTIMATE_MAX_SEC);
  return {
    state: 'waiting',
    update: {
      kind: 'queued',
      ...(position === undefined ? {} : { position }),
      ...(estimatedWaitSec === undefined ? {} : { estimatedWaitSec }),
    },
  };
}

/** A decimal integer in `[min, max]`, or `undefined` (absent, signed, fractional, exponent, hex, too large). */
function parseCount(raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (!/^\d{1,9}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}

/**
 * The agent's name from the `X-Sambung-Agent` header of the 200 OK (percent-encoded UTF-8), or `undefined`
 * when the header is absent.
 */
export function agentFromHeader(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  return cleanText(percentDecode(raw), AGENT_NAME_MAX);
}

/**
 * Status carried by the 200 OK to the visitor's INVITE. A voicemail header wins over an agent's name: if the
 * bridge says it records, the visitor is told so, whatever else the answer carries.
 */
export function parseAnswerStatus(headers: AnswerHeaders = {}): QueueStatus {
  const voicemail = parseVoicemailHeader(headers.voicemail);
  if (voicemail) return { state: 'voicemail', voicemail };
  const agent = agentFromHeader(headers.agent);
  return agent ? { state: 'connected', agent } : { state: 'connected' };
}
