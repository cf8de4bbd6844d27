/**
 * The deliveries panel (pure): the outbox's counts by state and the jobs an operator acts on — `parked` (a CRM
 * refused the data, or retention purged the recording) and `waiting-auth` (the CRM refused our credentials).
 */
import type { DeliveryJob, DeliveryState, DeliveryStatus } from './admin-api-shapes.js';
import { plural } from './crm-card-model.js';
import type { WhenFormat } from './format-when.js';

/** The states an operator acts on, in the order the page lists them. */
export const ACTIONABLE_STATES = ['waiting-auth', 'parked'] as const satisfies readonly DeliveryState[];

const ORDER: readonly DeliveryState[] = ['waiting-auth', 'parked', 'pending', 'running', 'done'];

const LABELS: Record<DeliveryState, string> = {
  'waiting-auth': 'Waiting for reconnect',
  parked: 'Parked (needs a retry)',
  pending: 'Queued',
  running: 'Sending',
  done: 'Delivered',
};

export interface CountRow {
  readonly state: DeliveryState;
  readonly label: string;
  readonly count: number;
}

export function countRows(status: DeliveryStatus): CountRow[] {
  return ORDER.map((state) => ({ state, label: LABELS[state], count: status.counts[state] }));
}

export function stateLabel(state: DeliveryState): string {
  return LABELS[state];
}

/** One line on how deliveries are doing. */
export function deliverySummary(status: DeliveryStatus): string {
  const c = status.counts;
  const trouble: string[] = [];
  if (c['waiting-auth'] > 0) trouble.push(`${plural(c['waiting-auth'], 'delivery waits', 'deliveries wait')} for the CRM to be reconnected`);
  if (c.parked > 0) trouble.push(`${plural(c.parked, 'delivery is', 'deliveries are')} parked`);
  if (trouble.length > 0) return `${trouble.join('; ')}.`;
  if (c.pending + c.running > 0) return `${plural(c.pending + c.running, 'delivery is', 'deliveries are')} on the way; nothing is stuck.`;
  return c.done > 0 ? 'Everything was delivered.' : 'Nothing was delivered yet.';
}

export interface JobRow {
  readonly id: string;
  readonly what: string;
  readonly call: string;
  readonly attempts: string;
  /** The last error in the CRM's or the bridge's words (text). */
  readonly error: string;
  readonly updated: string;
}

/** `call-log` → "Call log"; `recording-part` → "Recording part 2 of 3". */
export function jobKindLabel(job: Pick<DeliveryJob, 'kind' | 'part'>): string {
  switch (job.kind) {
    case 'call-log':
      return 'Call log';
    case 'recording-part':
      return job.part ? `Recording part ${job.part.index} of ${job.part.total}` : 'Recording part';
    case 'recording-cleanup':
      return 'Recording clean-up';
    default:
      return job.kind;
  }
}

export function jobRow(job: DeliveryJob, when: WhenFormat): JobRow {
  return {
    id: job.id,
    what: jobKindLabel(job),
    call: job.callId ?? '—',
    attempts: plural(job.attempts, 'attempt', 'attempts'),
    error: job.lastError?.trim() || 'No error recorded',
    updated: when(job.updatedAt),
  };
}

/** Under a list cut at `limit`: "Showing the newest 50 of 120." */
export function listNote(shown: number, total: number): string | null {
  return total > shown ? `Showing the newest ${shown} of ${total}.` : null;
}
