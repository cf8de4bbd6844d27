import type { AcdCallState } from './acd-call-state.js';
import type { CallKind } from './acd-records.js';
import type { AgentState, AwayReason } from './agent-state.js';
import type { DeflectionAction } from './queue-config.js';

export type { CallKind } from './acd-records.js';

/** Why a call was not (or no longer) kept in its queue. */
export type DeflectReason = 'closed' | 'full' | 'expected-wait' | 'max-wait';

/** How an offer to one agent failed, as the bridge saw it (no answer in time is the engine's own timeout). */
export type RingFailure = 'no-answer' | 'rejected' | 'error';

/** A deflection the bridge carries out (a move to another queue the engine does itself). */
export type EndingAction = Exclude<DeflectionAction, { type: 'queue' }>;

/**
 * What the owner must do after a command — the engine decides, the bridge acts. Returned by every command, in
 * the order they arose.
 */
export type AcdEffect =
  /** Ring these agents for this call (several for ring-all) until `ringUntil`; the first to answer takes it. */
  | { readonly type: 'offer'; readonly callId: string; readonly queueId: string; readonly kind: CallKind;
      readonly agentIds: readonly string[]; readonly ringUntil: number; readonly data: unknown }
  /** Stop ringing these agents (CANCEL): nobody answered in time, someone else did, or the caller left. */
  | { readonly type: 'stop-ringing'; readonly callId: string; readonly agentIds: readonly string[];
      readonly reason: 'timeout' | 'answered-elsewhere' | 'caller-left' | 'agent-unavailable' }
  /** The call overflowed to another queue (the engine moved it; the bridge updates its records and the caller). */
  | { readonly type: 'queue-changed'; readonly callId: string; readonly fromQueueId: string;
      readonly toQueueId: string; readonly reason: DeflectReason }
  /** End the waiting call with this alternative (message then hang-up, voicemail, callback, e-mail, phone). */
  | { readonly type: 'deflect'; readonly callId: string; readonly queueId: string; readonly action: EndingAction;
      readonly reason: DeflectReason }
  /** A scheduled callback is due and now waits in its queue like a call. */
  | { readonly type: 'callback-queued'; readonly callId: string; readonly queueId: string; readonly data: unknown };

export interface EnqueueRequest {
  readonly callId: string;
  readonly queueId: string;
  /** Caller priority 0–10 (VIP, returning caller…): a head start, see `callKey`. */
  readonly priority?: number;
  /** Opaque to the engine; handed back in offers (caller details for the softphone, say). */
  readonly data?: unknown;
}

/** The decision on arrival: keep the call (perhaps in an overflow queue) or deflect it. */
export type EnqueueResult =
  | { readonly outcome: 'queued'; readonly queueId: string; readonly position: number;
      readonly ewtSec: number | null; readonly effects: AcdEffect[] }
  | { readonly outcome: 'deflected'; readonly queueId: string; readonly action: EndingAction;
      readonly reason: DeflectReason; readonly effects: AcdEffect[] };

export interface CallbackRequest {
  readonly callbackId: string;
  readonly queueId: string;
  /** When to offer it, epoch ms; must fall inside the queue's hours (see `callbackSlots`). */
  readonly at: number;
  readonly priority?: number;
  readonly data?: unknown;
}

/** Where a call stands; `position` is 1-based among the calls waiting in its queue, 0 while not waiting. */
export interface WaitInfo {
  readonly callId: string;
  readonly queueId: string;
  readonly kind: CallKind;
  readonly state: AcdCallState;
  readonly position: number;
  readonly ewtSec: number | null;
  readonly waitedSec: number;
}

export interface AgentView {
  readonly agentId: string;
  readonly state: AgentState;
  readonly awayReason: AwayReason | null;
  readonly pending: 'away' | 'offline' | null;
  readonly callId: string | null;
  readonly idleSince: number;
  readonly callsToday: number;
  readonly talkSecToday: number;
  readonly misses: number;
  /** When wrap-up ends (epoch ms), while in wrap-up with a timed wrap-up. */
  readonly wrapUpEndsAt: number | null;
}

export interface QueueStatus {
  readonly queueId: string;
  readonly open: boolean;
  readonly waiting: number;
  readonly free: number;
  readonly staffed: number;
  readonly longestWaitSec: number;
  readonly ahtSec: number;
}

/** Broadcast on every agent state change (supervisor screens, softphone presence). */
export interface AgentStateChange {
  readonly agentId: string;
  readonly from: AgentState;
  readonly to: AgentState;
  readonly reason: AwayReason | null;
  readonly at: number;
}
