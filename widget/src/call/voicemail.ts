/**
 * Decoding of the bridge's voicemail answer. When the queue sends a call to voicemail, the bridge answers the
 * visitor's INVITE with `200 OK` carrying `X-Sambung-Voicemail: <percent-encoded UTF-8 JSON>` such as
 * `{"reason":"closed","maxSeconds":120,"greeting":"Please leave a message after the tone."}` (and no
 * `X-Sambung-Agent`); from then on the visitor's audio is recorded until the visitor hangs up or `maxSeconds`
 * pass (the bridge then sends BYE).
 *
 * Pure. The header crosses a trust boundary (the greeting is configured by a tenant admin), so it is decoded
 * defensively, like a deflection: bounded size, no exceptions escape, own properties only, unknown fields
 * ignored. Unlike a deflection, a present but unusable header still means "you are being recorded" — the 200
 * answered the call either way — so it decodes to the defaults rather than `null`: the visitor must never be
 * told they are talking to an agent while a recorder listens.
 */
import { cleanText, percentDecode } from './clean-text.js';
import { DEFLECT_REASONS, type DeflectReason } from './deflection.js';

export const VOICEMAIL_HEADER = 'X-Sambung-Voicemail';

export const DEFAULT_VOICEMAIL_GREETING = 'Leave a message after the tone';
/** The bounds a `maxSeconds` must be in to be shown; outside them the widget shows only the elapsed time. */
export const VOICEMAIL_MIN_SECONDS = 10;
export const VOICEMAIL_MAX_SECONDS = 600;

export interface Voicemail {
  /** Why the call went to voicemail; absent when the bridge sent a reason this widget does not know. */
  readonly reason?: DeflectReason;
  /** The longest message the bridge records; absent when missing or out of bounds (no countdown is shown). */
  readonly maxSeconds?: number;
  /** Cleaned text; the default when none (or nothing usable) was sent. */
  readonly greeting: string;
}

const HEADER_MAX_LENGTH = 8192;
const GREETING_MAX_LENGTH = 500;

/** `null` only when the header is absent (an ordinary agent answer); anything present decodes to a voicemail. */
export function parseVoicemailHeader(raw: string | undefined): Voicemail | null {
  if (raw === undefined) return null;
  let value: unknown;
  if (raw.length > 0 && raw.length <= HEADER_MAX_LENGTH) {
    try {
      value = JSON.parse(percentDecode(raw.trim()));
    } catch {
      value = undefined;
    }
  }
  return readVoicemail(value);
}

/** Validates an already-parsed voicemail object; anything that is not an object yields the defaults. */
export function readVoicemail(value: unknown): Voicemail {
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  const field = (name: string): unknown => (isObject && Object.prototype.hasOwnProperty.call(value, name)
    ? (value as Record<string, unknown>)[name] : undefined);

  const rawReason = field('reason');
  const reason = DEFLECT_REASONS.find((known) => known === rawReason);
  const max = field('maxSeconds');
  const maxSeconds = typeof max === 'number' && Number.isSafeInteger(max)
    && max >= VOICEMAIL_MIN_SECONDS && max <= VOICEMAIL_MAX_SECONDS ? max : undefined;
  const rawGreeting = field('greeting');
  const greeting = typeof rawGreeting === 'string' ? cleanText(rawGreeting, GREETING_MAX_LENGTH, true) : '';

  return {
    ...(reason ? { reason } : {}),
    ...(maxSeconds === undefined ? {} : { maxSeconds }),
    greeting: greeting || DEFAULT_VOICEMAIL_GREETING,
  };
}

/**
 * The recording timer: `mm:ss / mm:ss` (elapsed of the limit) when the limit is known, else the elapsed time;
 * elapsed is capped at the limit (the bridge hangs up there). Pure.
 */
export function describeVoicemailTimer(elapsedMs: number, maxSeconds: number | undefined): string {
  const elapsed = Number.isFinite(elapsedMs) && elapsedMs > 0 ? Math.floor(elapsedMs / 1000) : 0;
  if (maxSeconds === undefined) return mmss(elapsed);
  return `${mmss(Math.min(elapsed, maxSeconds))} / ${mmss(maxSeconds)}`;
}

/** Remaining seconds before the bridge ends the recording, for the timer's accessible label. */
export function voicemailRemainingSec(elapsedMs: number, maxSeconds: number): number {
  const elapsed = Number.isFinite(elapsedMs) && elapsedMs > 0 ? Math.floor(elapsedMs / 1000) : 0;
  return Math.max(0, maxSeconds - elapsed);
}

function mmss(totalSec: number): string {
  const minutes = Math.floor(totalSec / 60);
  const seconds = totalSec % 60;
  return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}
