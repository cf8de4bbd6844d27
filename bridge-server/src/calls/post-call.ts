import { enqueueDelivery, finishedCallFromCdr } from '../recordings/outbox/delivery-plan.js';
import type { Outbox } from '../recordings/outbox/outbox.js';
import type { SipLogger } from '../sip/transaction.js';
import type { Recording } from '../store/recording-repo.js';
import type { Store } from '../store/store.js';
import type { Call } from './call.js';
import type { CallRecordings } from './call-recordings.js';

export interface PostCallDeps {
  store: Store;
  log: SipLogger;
  recordings: CallRecordings | undefined;
  outbox: Outbox | undefined;
  /** Whether the tenant has a CRM connected (no CRM: nothing is enqueued; recordings stay until retention). */
  hasCrm(tenantId: string): Promise<boolean>;
}

/**
 * After hang-up, once the CDR is written: render the call's recording (if it was recorded) and enqueue its
 * delivery to the tenant's CRM — the call log first, then the recording parts in order, then the local clean-up
 * (recordings/outbox/delivery-plan.ts). Runs off the signalling path; failures are logged, never thrown.
 */
/** Deliver a call that a crash interrupted: its CDR was closed as failed and its recording rendered at start. */
export async function afterCrash(recording: Recording, d: PostCallDeps): Promise<void> {
  try {
    if (!d.outbox || !(await d.hasCrm(recording.tenantId))) return;
    const cdr = await d.store.calls.get(recording.tenantId, recording.callId);
    const queue = await d.store.queues.get(recording.tenantId, cdr.queueId);
    const agent = cdr.agentId ? await d.store.agents.get(recording.tenantId, cdr.agentId) : null;
    await enqueueDelivery(
      d.outbox,
      finishedCallFromCdr(cdr, { queueName: queue.name, to: queue.name, agent: agent ? { id: agent.id, name: agent.displayName } : null }),
      recording,
    );
  } catch (err) {
    d.log.error({ err, recordingId: recording.id }, 'delivery of a recovered recording could not be scheduled');
  }
}

export async function afterCall(call: Call, d: PostCallDeps): Promise<void> {
  try {
    await call.cdr;
    const recording = d.recordings?.isRecording(call.id) ? await d.recordings.finish(call.id) : null;
    if (!d.outbox || !(await d.hasCrm(call.tenantId))) return;
    const cdr = await d.store.calls.get(call.tenantId, call.id);
    const agent = call.agent;
    const finished = finishedCallFromCdr(cdr, {
      queueName: call.queueName,
      to: call.queueName,
      agent: agent ? { id: agent.agentId, name: agent.displayName } : null,
    });
    if (call.voicemail) finished.log = { ...finished.log, outcome: 'voicemail' };
    await enqueueDelivery(d.outbox, finished, recording);
  } catch (err) {
    d.log.error({ err, callId: call.id }, 'post-call delivery could not be scheduled');
  }
}
