import { createReadStream } from 'node:fs';
import { access, rm } from 'node:fs/promises';
import type { z } from 'zod';
import type { CrmAdapter, CrmContext, RecordingPart } from '../../crm/crm-adapter.js';
import { CrmError } from '../../crm/crm-error.js';
import type { OutboxJob } from '../../store/outbox-repo.js';
import type { RecordingRepo } from '../../store/recording-repo.js';
import {
  DELIVERY_KINDS,
  callLogPayload,
  callLogResult,
  recordingCleanupPayload,
  recordingPartPayload,
  type CallLogResult,
} from './delivery-payloads.js';
import { ParkJobError } from './outbox-errors.js';
import type { Outbox, OutboxHandler, OutboxHandlerContext } from './outbox.js';
import { resolveContact } from '../../crm/resolve-contact.js';

/** A tenant's connected CRM: its adapter and the context to call it with. */
export interface CrmConnection {
  adapter: CrmAdapter;
  ctx: CrmContext;
  /**
   * The CRM shows recordings through our signed links instead of holding the bytes (Zendesk `recordings: link`):
   * the local files must then stay until the retention purge, and cleanup leaves them.
   */
  keepsRecordingLinks?: boolean;
}

/** What the bridge knows of a call when its log is delivered, beyond the job's payload. */
export interface CallLogFacts {
  /** The record the agent was shown or picked (screen pop), or null. */
  contactId: string | null;
  /** The answering agent's CRM user, when the tenant mapped them. */
  agentCrmUserId: string | null;
  /** A signed link to the call's recording (part 1), when it has one on disk. */
  recordingUrl: string | null;
}

export interface DeliveryHandlerDeps {
  /** The tenant's CRM, or null when it has none connected (deliveries then wait as for revoked credentials). */
  crm: (tenantId: string) => Promise<CrmConnection | null>;
  recordings: Pick<RecordingRepo, 'find' | 'delivered'>;
  /** Reads a part file (decrypting, if parts are encrypted at rest); default: the plain file. */
  readFile?: (path: string) => AsyncIterable<Uint8Array>;
  /** Whether a part file is there; default `fs.access`. */
  exists?: (path: string) => Promise<boolean>;
  /** Deletes a file or directory, succeeding when it is already gone; default `fs.rm({ force, recursive })`. */
  remove?: (path: string) => Promise<void>;
  /** A signed URL for one part, for CRMs that fetch recordings (see `http/recording-routes.ts`). */
  recordingUrl?: (tenantId: string, recordingId: string, index: number) => Promise<string | undefined>;
  /** The screen-popped contact, agent mapping and recording link of a call (defaults: none). */
  callLogFacts?: (tenantId: string, callId: string, agentId: string | null) => Promise<CallLogFacts>;
}

/** Registers the three delivery kinds on `outbox`. */
export function registerDeliveryHandlers(outbox: Outbox, deps: DeliveryHandlerDeps): void {
  for (const [kind, handler] of Object.entries(deliveryHandlers(deps))) outbox.register(kind, handler);
}

/**
 * The handlers of the delivery chain (`delivery-plan.ts`). Each is idempotent: the CRM writes carry the job's
 * dedupe key as idempotency key (`sambung:<dedupe key>`), and file deletion succeeds when the files are gone.
 */
export function deliveryHandlers(deps: DeliveryHandlerDeps): Record<string, OutboxHandler> {
  const readFile = deps.readFile ?? ((path: string) => createReadStream(path));
  const exists = deps.exists ?? ((path: string) => access(path).then(() => true, () => false));
  const remove = deps.remove ?? ((path: string) => rm(path, { force: true, recursive: true }));

  const connect = async (tenantId: string): Promise<CrmConnection> => {
    const connection = await deps.crm(tenantId);
    if (!connection) throw CrmError.auth('no CRM is connected for this tenant: connect the CRM');
    return connection;
  };

  const callLog: OutboxHandler = async (job) => {
    const p = parse(callLogPayload, job);
    const { adapter, ctx } = await connect(job.tenantId);
    const key = idempotencyKey(job);
    const startedAt = new Date(p.log.startedAt);
    const facts = (await deps.callLogFacts?.(job.tenantId, p.log.callId, p.log.agent?.id ?? null)) ?? noFacts;
    const contactId =
      p.contactId ?? facts.contactId ?? (await resolveContact(adapter, ctx, p.caller, startedAt, `${key}:contact`)).contactId;
    const agent = p.log.agent && { ...p.log.agent, crmUserId: p.log.agent.crmUserId ?? facts.agentCrmUserId ?? undefined };
    const log = { ...p.log, agent, startedAt, contactId, recordingUrl: facts.recordingUrl ?? undefined };
    const callLogRef = await adapter.upsertCallLog(ctx, log, key);
    const result: CallLogResult = { callLogRef, contactId };
    return result;
  };

  const recordingPart: OutboxHandler = async (job, jobs) => {
    const p = parse(recordingPartPayload, job);
    const recording = await deps.recordings.find(job.tenantId, p.recordingId);
    if (!recording || recording.state !== 'rendered') {
      const why = recording?.state === 'purged' ? 'recording purged by retention' : `recording is ${recording?.state ?? 'missing'}`;
      throw ParkJobError.because(why);
    }
    if (!(await exists(p.path))) throw ParkJobError.because(`recording part file is missing: ${p.path}`);
    const { callLogRef } = await logResult(jobs, p.callLogKey);
    const { adapter, ctx } = await connect(job.tenantId);
    const part: RecordingPart = {
      index: p.index,
      total: p.total,
      filename: p.filename,
      contentType: 'audio/wav',
      byteLength: p.bytes,
      open: () => readFile(p.path),
      recordingUrl: await deps.recordingUrl?.(job.tenantId, p.recordingId, p.index),
    };
    return { attachmentRef: await adapter.attachRecordingPart(ctx, callLogRef, part, idempotencyKey(job)) };
  };

  const recordingCleanup: OutboxHandler = async (job, jobs) => {
    const p = parse(recordingCleanupPayload, job);
    // The chain already orders cleanup after the last part; this re-checks every part before deleting anything.
    for (const key of p.partKeys) await jobs.resultOf(key);
    // A CRM that plays our links needs the files until the retention purge deletes them.
    if ((await deps.crm(job.tenantId))?.keepsRecordingLinks) return { deleted: [], keptForLinks: p.paths };
    for (const path of p.paths) await remove(path);
    const recording = await deps.recordings.find(job.tenantId, p.recordingId);
    if (recording?.state === 'rendered') await deps.recordings.delivered(job.tenantId, p.recordingId);
    return { deleted: p.paths };
  };

  return {
    [DELIVERY_KINDS.callLog]: callLog,
    [DELIVERY_KINDS.recordingPart]: recordingPart,
    [DELIVERY_KINDS.recordingCleanup]: recordingCleanup,
  };
}

const noFacts: CallLogFacts = { contactId: null, agentCrmUserId: null, recordingUrl: null };

/** The key the CRM sees for this job's writes: stable across retries, distinct per step. */
export function idempotencyKey(job: Pick<OutboxJob, 'dedupeKey'>): string {
  return `sambung:${job.dedupeKey}`;
}

function parse<T>(schema: z.ZodType<T>, job: OutboxJob): T {
  const result = schema.safeParse(job.payload);
  if (!result.success) throw ParkJobError.because(`${job.kind} job has an invalid payload: ${result.error.issues[0]?.message ?? 'invalid'}`);
  return result.data;
}

async function logResult(jobs: OutboxHandlerContext, key: string): Promise<CallLogResult> {
  const result = callLogResult.safeParse(await jobs.resultOf(key));
  if (!result.success) throw ParkJobError.because(`call log job ${key} returned no CRM reference`);
  return result.data;
}
