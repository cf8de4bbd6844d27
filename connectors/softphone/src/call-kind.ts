/**
 * What the bridge offers the agent: a visitor's call, a callback the ACD schedules (a visitor booked a slot,
 * or kept their place in the queue), or a colleague's internal call. It says so in
 * `X-Sambung-Call-Kind: call | callback | internal` on the INVITE; an absent or unknown value is a call, so an
 * older bridge and a newer kind both degrade to today's behaviour (an internal call rings like a visitor's).
 *
 * A callback's agent leg is connected to the bridge only for now (the PSTN dial-out comes later): the agent
 * dials the number shown and presses "Done".
 */

export const CALL_KIND_HEADER = 'X-Sambung-Call-Kind';

export type CallKind = 'call' | 'callback';

export function decodeCallKind(raw: string | undefined | null): CallKind {
  return typeof raw === 'string' && raw.trim().toLowerCase() === 'callback' ? 'callback' : 'call';
}

/** A `tel:` URL for a caller's normalised number (`+` and 6–15 digits), or `null` when it is not one. */
export function dialHref(phone: string): string | null {
  const trimmed = phone.trim();
  return /^\+?[0-9]{6,15}$/.test(trimmed) ? `tel:${trimmed}` : null;
}
