import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ManualClock } from '../../clock.js';
import type { Recording } from '../../store/recording-repo.js';
import type { Store } from '../../store/store.js';
import type { FinishedCall } from './delivery-plan.js';
import type { Outbox } from './outbox.js';

/** Test support for the outbox and delivery tests (not a test file itself). */

/** A tenant with a queue; `call()` records an ended CDR and returns it as a FinishedCall. */
export async function tenantWithQueue(store: Store, slug = 'acme') {
  const tenant = await store.tenants.create({ slug, name: slug, sipDomain: `${slug}.example` });
  const queue = await store.queues.create({ tenantId: tenant.id, name: 'sales', displayName: 'Sales', mode: 'form' });
  let n = 0;
  const call = async (caller: { name?: string | null; phone?: string | null; email?: string | null } = {}): Promise<FinishedCall> => {
    const at = new Date(Date.parse('2026-11-21T23:05:00.000Z') + n * 60_000);
    const id = await store.calls.offered({
      tenantId: tenant.id,
      queueId: queue.id,
      callerName: caller.name ?? '',
      callerPhone: caller.phone ?? '',
      callerEmail: caller.email ?? null,
      sipCallId: `sip-${slug}-${++n}`,
      at,
    });
    return {
      tenantId: tenant.id,
      log: {
        callId: id, direction: 'inbound', from: caller.phone ?? 'web', to: 'sales', queue: 'Sales',
        agent: { id: 'agent-1', name: 'Alice' }, startedAt: at, durationSec: 95, waitSec: 7, outcome: 'answered',
        disposition: null, notes: null,
      },
      caller: { name: caller.name ?? null, phone: caller.phone ?? null, email: caller.email ?? null },
    };
  };
  return { tenantId: tenant.id, queueId: queue.id, call };
}

/** A rendered recording of `callId` with `sizes.length` WAV-like part files in a fresh temporary directory. */
export async function renderedRecording(store: Store, tenantId: string, callId: string, sizes: number[]): Promise<Recording> {
  const dir = await mkdtemp(join(tmpdir(), 'sambung-rec-'));
  const chunks = join(dir, 'chunks');
  await writeFile(chunks, 'encrypted chunks');
  const recording = await store.recordings.create({ tenantId, callId, path: chunks });
  const parts = [];
  for (const [i, size] of sizes.entries()) {
    const path = join(dir, `part-${i + 1}.wav`);
    await writeFile(path, partBytes(i + 1, size));
    parts.push({ index: i + 1, path, bytes: size });
  }
  return store.recordings.rendered(tenantId, recording.id, { bytes: sizes.reduce((a, b) => a + b, 0), durationSec: 95, parts });
}

/** The bytes `renderedRecording` writes for part `index`. */
export function partBytes(index: number, size: number): Buffer {
  return Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(Math.max(0, size - 4), index)]).subarray(0, size);
}

/**
 * Runs the outbox as its loop would, jumping the ManualClock to each next due time, until nothing is due or
 * `untilMs` of simulated time has passed. Returns how many rounds it ran.
 */
export async function drain(outbox: Outbox, clock: ManualClock, untilMs = 24 * 60 * 60_000): Promise<number> {
  const end = clock.now() + untilMs;
  for (let round = 1; round <= 10_000; round++) {
    await outbox.runDue();
    const next = await outbox.nextDueAt();
    if (!next || next.getTime() > end) return round;
    clock.advance(Math.max(0, next.getTime() - clock.now()));
  }
  throw new Error('the outbox did not settle');
}
