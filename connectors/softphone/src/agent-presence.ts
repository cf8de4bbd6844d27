/**
 * What the agent can choose in the state selector. The bridge's ACD owns the full agent state (available,
 * reserved, on-call, wrap-up, away; see `agent-status.ts`); the softphone only asks for `available` or `away`
 * with a reason, and receives calls only while registered over SIP *and* available. `missed` is a reason the
 * ACD sets (ring-no-answer), shown but never chosen.
 */

export type PresenceState = 'available' | 'away';

export const AWAY_REASONS = [
  { value: 'break', label: 'Break' },
  { value: 'lunch', label: 'Lunch' },
  { value: 'training', label: 'Training' },
  { value: 'meeting', label: 'Meeting' },
] as const;

export type AwayReason = (typeof AWAY_REASONS)[number]['value'];

export type Presence = { readonly state: 'available' } | { readonly state: 'away'; readonly reason: AwayReason };

/** The body of `PUT /api/agent/state`. */
export function presenceBody(presence: Presence): { state: PresenceState; reason?: AwayReason } {
  return presence.state === 'away' ? { state: 'away', reason: presence.reason } : { state: 'available' };
}

export function isAwayReason(value: string): value is AwayReason {
  return AWAY_REASONS.some((reason) => reason.value === value);
}
