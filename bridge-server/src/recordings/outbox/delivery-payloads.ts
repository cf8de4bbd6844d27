import { z } from 'zod';

/**
 * The JSON each delivery job carries, validated when a handler reads it back from the store (a row written by an
 * older version, or edited by hand, parks the job with the reason instead of crashing the loop).
 */
export const DELIVERY_KINDS = { callLog: 'call-log', recordingPart: 'recording-part', recordingCleanup: 'recording-cleanup' } as const;

export const callLogPayload = z.object({
  log: z.object({
    callId: z.string().min(1),
    direction: z.enum(['inbound', 'outbound']),
    from: z.string(),
    to: z.string(),
    queue: z.string(),
    agent: z.object({ id: z.string(), name: z.string(), crmUserId: z.string().optional() }).nullable(),
    startedAt: z.string().datetime(),
    durationSec: z.number().nonnegative(),
    waitSec: z.number().nonnegative(),
    outcome: z.enum(['answered', 'abandoned', 'missed', 'failed', 'voicemail']),
    disposition: z.string().nullable(),
    notes: z.string().nullable(),
  }),
  caller: z.object({ name: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable() }),
  /** The contact the agent chose in the softphone, if any; otherwise the handler finds or creates one. */
  contactId: z.string().nullable(),
});
export type CallLogPayload = z.infer<typeof callLogPayload>;

/** What a done call-log job returns (read by the recording parts after it). */
export const callLogResult = z.object({ callLogRef: z.string().min(1), contactId: z.string().nullable() });
export type CallLogResult = z.infer<typeof callLogResult>;

export const recordingPartPayload = z.object({
  recordingId: z.string().min(1),
  callId: z.string().min(1),
  /** Dedupe key of the call-log job whose CRM reference the part attaches to. */
  callLogKey: z.string().min(1),
  index: z.number().int().positive(),
  total: z.number().int().positive(),
  path: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  filename: z.string().min(1),
});
export type RecordingPartPayload = z.infer<typeof recordingPartPayload>;

export const recordingCleanupPayload = z.object({
  recordingId: z.string().min(1),
  /** The recording's own path and every part file. */
  paths: z.array(z.string().min(1)),
  /** Dedupe keys of every part job, all of which must be done. */
  partKeys: z.array(z.string().min(1)),
});
export type RecordingCleanupPayload = z.infer<typeof recordingCleanupPayload>;
