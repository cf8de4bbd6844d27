/**
 * The agent's state as the bridge's ACD holds it — `GET /api/agent/me` →
 * `{ id, username, state, awayReason, registered, wrapUpEndsAt? }` — and what the console makes of it.
 *
 * The ACD owns this state machine (offline → available ⇄ reserved → on-call → wrap-up → available; away with a
 * reason, `missed` after ring-no-answer); the softphone only mirrors the latest snapshot. Polls may skip
 * states, so no transition is checked here: the bridge already did. Pure.
 */
import { AWAY_REASONS, type AwayReason } from './agent-presence.js';

export const AGENT_STATES = ['offline', 'available', 'reserved', 'on-call', 'wrap-up', 'away'] as const;
export type AgentState = (typeof AGENT_STATES)[number];

/**
 * The reasons the ACD may report; set by the bridge only, never chosen: `missed` (ring-no-answer) and
 * `internal-call` (talking to a colleague, so no queue call is offered meanwhile).
 */
export type AcdAwayReason = AwayReason | 'missed' | 'internal-call';
const ACD_ONLY_REASONS: readonly string[] = ['missed', 'internal-call'];

export interface AgentStatus {
  readonly state: AgentState;
  /** Set only when `state` is `away`. */
  readonly awayReason: AcdAwayReason | null;
  /** Whether the bridge sees a live SIP registration for this agent. */
  readonly registered: boolean;
  /** Epoch ms when wrap-up ends (the ACD then makes the agent available); only during `wrap-up`. */
  readonly wrapUpEndsAt?: number;
}

/** What the state selector shows: available (also while reserved, on a call or wrapping up) or away + reason. */
export type ShownPresence = { readonly state: 'available' } | { readonly state: 'away'; readonly reason: AcdAwayReason };

/**
 * `null` when the body is not a usable snapshot (an unknown state from a newer or older bridge): the console
 * keeps the last one it understood rather than guessing.
 */
export function parseAgentStatus(body: unknown): AgentStatus | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const record = body as Record<string, unknown>;
  const state = AGENT_STATES.find((known) => known === record.state);
  if (!state) return null;
  const reason = record.awayReason;
  const awayReason: AcdAwayReason | null = state !== 'away' ? null
    : ACD_ONLY_REASONS.includes(String(reason)) || AWAY_REASONS.some((r) => r.value === reason) ? reason as AcdAwayReason : 'break';
  const endsAt = typeof record.wrapUpEndsAt === 'string' ? Date.parse(record.wrapUpEndsAt) : Number.NaN;
  return {
    state,
    awayReason,
    registered: record.registered === true,
    ...(state === 'wrap-up' && Number.isFinite(endsAt) ? { wrapUpEndsAt: endsAt } : {}),
  };
}

/** The selector's value for a snapshot; `null` while offline (the selector keeps the agent's choice). */
export function shownPresence(status: AgentStatus): ShownPresence | null {
  switch (status.state) {
    case 'offline':
      return null;
    case 'away':
      return { state: 'away', reason: status.awayReason ?? 'break' };
    default:
      return { state: 'available' };
  }
}

export function missedCall(status: AgentStatus | null | undefined): boolean {
  return status?.state === 'away' && status.awayReason === 'missed';
}

/** "0:14" — the wrap-up time left, whole seconds rounded up (it reads 0:00 only when it is over). */
export function formatWrapUpLeft(endsAt: number | undefined, now: number): string | undefined {
  if (endsAt === undefined || !Number.isFinite(endsAt)) return undefined;
  const seconds = Math.max(0, Math.ceil((endsAt - now) / 1000));
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, '0')}`;
}
