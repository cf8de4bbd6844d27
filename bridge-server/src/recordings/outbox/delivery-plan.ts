import type { CallOutcome, CrmCallLog } from '../../crm/crm-adapter.js';
import type { Call } from '../../store/call-repo.js';
import type { NewOutboxJob, OutboxJob } from '../../store/outbox-repo.js';
import type { RecordingPartFile } from '../../store/recording-repo.js';
import {
  DELIVERY_KINDS,
  type CallLogPayload,
  type RecordingCleanupPayload,
  type RecordingPartPayload,
} from './delivery-payloads.js';
import type { Outbox } from './outbox.js';

/** A call that ended, as the CRM should see it. */
export interface FinishedCall {
  tenantId: string;
  log: Omit<CrmCallLog, 'contactId'>;
  caller: { name: string | null; phone: string | null; email: string | null };
  /** The contact the agent picked in the softphone when several matched; otherwise found or created. */
  contactId?: string | null;
  /** 1 for the log written at hang-up; 2, 3 … to send the same call's log again (disposition edited later). */
  revision?: number;
}

/** The recording of that call, rendered into WAV parts (a `Recording` from the store fits). */
export interface RecordingToDeliver {
  id: string;
  path: string;
  parts: readonly RecordingPartFile[];
}

export const callLogKey = (callId: string, revision = 1): string => (revision <= 1 ? `call-log:${callId}` : `call-log:${callId}:r${revision}`);
export const partKey = (recordingId: string, index: number): string => `recording-part:${recordingId}:${index}`;
export const cleanupKey = (recordingId: string): string => `recording-cleanup:${recordingId}`;
export const recordingGroup = (recordingId: string): string => `recording:${recordingId}`;

/**
 * The delivery of one call as a chain of outbox jobs, each after the one before: the call log first (its CRM
 * reference is what parts attach to), then recording parts 1…n strictly in order, then the cleanup that deletes
 * the local files — which can only run once every part is confirmed. Dedupe keys are derived from the call and
 * recording ids, so planning the same call twice enqueues nothing new.
 */
export function planDelivery(call: FinishedCall, recording?: RecordingToDeliver | null): NewOutboxJob[] {
  const logKey = callLogKey(call.log.callId, call.revision);
  const payload: CallLogPayload = {
    log: { ...call.log, agent: call.log.agent ? { ...call.log.agent } : null, startedAt: call.log.startedAt.toISOString() },
    caller: call.caller,
    contactId: call.contactId ?? null,
  };
  const jobs: NewOutboxJob[] = [{ kind: DELIVERY_KINDS.callLog, payload, dedupeKey: logKey }];
  if (!recording) return jobs;

  const group = recordingGroup(recording.id);
  const parts = [...recording.parts].sort((a, b) => a.index - b.index);
  for (const part of parts) {
    const p: RecordingPartPayload = {
      recordingId: recording.id,
      callId: call.log.callId,
      callLogKey: logKey,
      index: part.index,
      total: parts.length,
      path: part.path,
      bytes: part.bytes,
      filename: `call-${call.log.callId}-part-${part.index}-of-${parts.length}.wav`,
    };
    jobs.push({ kind: DELIVERY_KINDS.recordingPart, payload: p, dedupeKey: partKey(recording.id, part.index), groupKey: group });
  }
  const cleanup: RecordingCleanupPayload = {
    recordingId: recording.id,
    paths: [...parts.map((p) => p.path), recording.path],
    partKeys: parts.map((p) => partKey(recording.id, p.index)),
  };
  jobs.push({ kind: DELIVERY_KINDS.recordingCleanup, payload: cleanup, dedupeKey: cleanupKey(recording.id), groupKey: group });
  return jobs;
}

/** Plans and enqueues the call's delivery in one transaction; returns the jobs in order. */
export function enqueueDelivery(outbox: Outbox, call: FinishedCall, recording?: RecordingToDeliver | null): Promise<OutboxJob[]> {
  return outbox.enqueueChain(call.tenantId, planDelivery(call, recording));
}

/** How a CDR's end reads in the CRM: answered if an agent answered, else abandoned, missed or failed. */
export function outcomeOf(cdr: Pick<Call, 'answeredAt' | 'endReason'>): CallOutcome {
  if (cdr.answeredAt !== null) return 'answered';
  if (cdr.endReason === 'abandoned') return 'abandoned';
  if (cdr.endReason === 'failed') return 'failed';
  return 'missed';
}

/** A {@link FinishedCall} from an ended CDR and what the CDR does not hold (names, disposition, notes). */
export function finishedCallFromCdr(
  cdr: Call,
  extra: {
    queueName: string;
    to: string;
    agent: { id: string; name: string; crmUserId?: string } | null;
    disposition?: string | null;
    notes?: string | null;
    contactId?: string | null;
  },
): FinishedCall {
  return {
    tenantId: cdr.tenantId,
    log: {
      callId: cdr.id,
      direction: 'inbound',
      from: cdr.callerPhone.trim() !== '' ? cdr.callerPhone : `web:${cdr.callerName}`,
      to: extra.to,
      queue: extra.queueName,
      agent: extra.agent,
      startedAt: cdr.offeredAt,
      durationSec: cdr.talkSeconds ?? 0,
      waitSec: cdr.waitSeconds ?? 0,
      outcome: outcomeOf(cdr),
      disposition: extra.disposition ?? null,
      notes: extra.notes ?? null,
    },
    caller: { name: cdr.callerName.trim() || null, phone: cdr.callerPhone.trim() || null, email: cdr.callerEmail },
    contactId: extra.contactId ?? null,
  };
}
