/**
 * Builds the {@link CallLogEntry} the host adapter writes to the CRM from what the softphone saw. Pure.
 */
import type { CallKind } from './call-kind.js';
import type { AgentRef, CallLogEntry, CallOutcome, CallerInfo } from './host-adapter.js';

export interface CallRecord {
  readonly caller: CallerInfo;
  readonly agent: AgentRef;
  /** Epoch ms when the softphone started ringing, or dialling. */
  readonly startedAt: number;
  /** Epoch ms when the agent's 200 OK went out. */
  readonly answeredAt?: number;
  /** `true` when the agent declined the call, or (outbound) the callee was busy or declined it. */
  readonly rejected?: boolean;
  /** A callback is the agent calling the customer: the CRM logs it as outbound. Default `call`. */
  readonly kind?: CallKind;
  /** `outbound` for a call the agent placed (click-to-dial); `caller` is then whom the agent dialled. */
  readonly direction?: 'inbound' | 'outbound';
}

export function buildCallLog(record: CallRecord, endedAtMs: number, failed = false): CallLogEntry {
  const endedAt = Math.max(endedAtMs, record.startedAt);
  const answered = record.answeredAt !== undefined;
  const outcome: CallOutcome = answered ? 'answered' : record.rejected ? 'rejected' : failed ? 'failed' : 'missed';
  const { callId, queue, name, phone, email } = record.caller;
  const entry: CallLogEntry = {
    callId,
    direction: record.kind === 'callback' || record.direction === 'outbound' ? 'outbound' : 'inbound',
    queue,
    caller: { name, phone, email },
    agent: record.agent,
    startedAt: new Date(record.startedAt).toISOString(),
    endedAt: new Date(endedAt).toISOString(),
    talkSeconds: answered ? Math.max(0, Math.round((endedAt - record.answeredAt!) / 1000)) : 0,
    outcome,
  };
  return answered ? { ...entry, answeredAt: new Date(record.answeredAt!).toISOString() } : entry;
}
