import { describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../clock.js';
import { CrmError } from '../../crm/crm-error.js';
import type { Store } from '../../store/store.js';
import { testBackends, useStore } from '../../store/test-backends.js';
import { seededRandom } from './backoff.js';
import { tenantWithQueue } from './delivery-test-kit.js';
import { ParkJobError } from './outbox-errors.js';
import { Outbox, type OutboxHandler } from './outbox.js';

const policy = { backoff: { baseMs: 1000, factor: 2, capMs: 60_000 } };

describe.each(testBackends())('the outbox on $name', (backend) => {
  const clock = new ManualClock(Date.parse('2026-11-21T10:00:00.000Z'));
  const store = useStore(backend, { clock });

  async function setup(s: Store, handler: OutboxHandler, kind = 'step') {
    const { tenantId } = await tenantWithQueue(s);
    const outbox = new Outbox({ repo: s.outbox, clock, random: seededRandom(1), policy });
    outbox.register(kind, handler);
    return { tenantId, outbox };
  }

  it('enqueues once per dedupe key and tenant', async () => {
    const { tenantId, outbox } = await setup(store(), async () => 'ok');
    const other = await tenantWithQueue(store(), 'globex');
    const first = await outbox.enqueue(tenantId, 'step', { n: 1 }, 'key-1');
    const again = await outbox.enqueue(tenantId, 'step', { n: 2 }, 'key-1');
    const elsewhere = await outbox.enqueue(other.tenantId, 'step', { n: 3 }, 'key-1');
    expect(again).toEqual(first);
    expect(again.payload).toEqual({ n: 1 });
    expect(elsewhere.id).not.toBe(first.id);
    expect(await outbox.jobs(tenantId)).toHaveLength(1);
    expect((await outbox.job(tenantId, first.id)).history.map((e) => e.event)).toEqual(['enqueued']);
  });

  it('runs a due job once, keeps its result and records the attempt', async () => {
    const handler = vi.fn(async () => ({ ref: 'crm-1' }));
    const { tenantId, outbox } = await setup(store(), handler);
    const job = await outbox.enqueue(tenantId, 'step', { n: 1 }, 'key-1');
    expect(await outbox.runDue()).toMatchObject({ ran: 1, done: 1 });
    expect(await outbox.runDue()).toMatchObject({ ran: 0 });
    expect(handler).toHaveBeenCalledTimes(1);
    const detail = await outbox.job(tenantId, job.id);
    expect(detail).toMatchObject({ state: 'done', attempts: 1, result: { ref: 'crm-1' }, lastError: null });
    expect(detail.history.map((e) => [e.event, e.attempt])).toEqual([['enqueued', 0], ['done', 1]]);
  });

  it('backs off a retryable failure by the seeded schedule, then delivers', async () => {
    let calls = 0;
    const { tenantId, outbox } = await setup(store(), async () => {
      if (++calls <= 3) throw CrmError.retryable('CRM answered 500', { status: 500 });
      return 'ok';
    });
    const job = await outbox.enqueue(tenantId, 'step', {}, 'key-1');
    const random = seededRandom(1);
    const expected = [1, 2, 3].map((n) => Math.max(1, Math.floor(random() * Math.min(60_000, 1000 * 2 ** (n - 1)))));
    for (const delay of expected) {
      const before = clock.now();
      await outbox.runDue();
      const state = await outbox.job(tenantId, job.id);
      expect(state).toMatchObject({ state: 'pending', lastError: 'CRM answered 500' });
      expect(state.nextAttemptAt.getTime() - before).toBe(delay);
      clock.advance(delay - 1);
      expect(await outbox.runDue()).toMatchObject({ ran: 0 });
      clock.advance(1);
    }
    await outbox.runDue();
    const done = await outbox.job(tenantId, job.id);
    expect(done.state).toBe('done');
    expect(done.history.map((e) => e.event)).toEqual(['enqueued', 'retry', 'retry', 'retry', 'done']);
  });

  it('waits at least as long as Retry-After says', async () => {
    let calls = 0;
    const { tenantId, outbox } = await setup(store(), async () => {
      if (++calls === 1) throw CrmError.retryable('429', { status: 429, retryAfterMs: 120_000 });
      return 'ok';
    });
    const job = await outbox.enqueue(tenantId, 'step', {}, 'key-1');
    await outbox.runDue();
    expect((await outbox.job(tenantId, job.id)).nextAttemptAt.getTime()).toBe(clock.now() + 120_000);
    clock.advance(119_999);
    expect(await outbox.runDue()).toMatchObject({ ran: 0 });
    clock.advance(1);
    expect(await outbox.runDue()).toMatchObject({ done: 1 });
  });

  it('waits for credentials on auth, retrying every 5 minutes, and resumes once reconnected', async () => {
    let revoked = true;
    const { tenantId, outbox } = await setup(store(), async () => {
      if (revoked) throw CrmError.auth('credentials refused (401)', { status: 401 });
      return 'ok';
    });
    const job = await outbox.enqueue(tenantId, 'step', {}, 'key-1');
    await outbox.runDue();
    expect(await outbox.job(tenantId, job.id)).toMatchObject({ state: 'waiting-auth', lastError: expect.stringContaining('reconnect the CRM') });
    expect(await outbox.status(tenantId)).toMatchObject({ needsReconnect: true, counts: { 'waiting-auth': 1 } });
    clock.advance(5 * 60_000);
    expect(await outbox.runDue()).toMatchObject({ ran: 1, waitingAuth: 1 });
    revoked = false;
    expect(await outbox.reconnected(tenantId)).toBe(1);
    expect(await outbox.runDue()).toMatchObject({ done: 1 });
    expect((await outbox.status(tenantId)).needsReconnect).toBe(false);
    expect((await outbox.job(tenantId, job.id)).history.map((e) => e.event)).toEqual([
      'enqueued', 'waiting-auth', 'waiting-auth', 'reconnected', 'done',
    ]);
  });

  it('parks a rejected job with the CRM\'s text until an operator retries it', async () => {
    let fixed = false;
    const { tenantId, outbox } = await setup(store(), async () => {
      if (!fixed) throw CrmError.rejected('Phone number is invalid', { status: 422 });
      return 'ok';
    });
    const job = await outbox.enqueue(tenantId, 'step', {}, 'key-1');
    await outbox.runDue();
    clock.advance(24 * 60 * 60_000);
    expect(await outbox.runDue()).toMatchObject({ ran: 0 });
    expect(await outbox.job(tenantId, job.id)).toMatchObject({ state: 'parked', lastError: 'CRM rejected the request (422): Phone number is invalid' });
    fixed = true;
    await outbox.retry(tenantId, job.id);
    await outbox.runDue();
    expect(await outbox.job(tenantId, job.id)).toMatchObject({ state: 'done', attempts: 1 });
    await expect(outbox.retry(tenantId, job.id)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('parks an undocumented answer and a ParkJobError with a clear reason', async () => {
    const { tenantId, outbox } = await setup(store(), async (job) => {
      if (job.dedupeKey === 'garbage') throw CrmError.invalidResponse('reference CRM answered PUT /x with a body that is not JSON');
      throw ParkJobError.because('recording part file is missing: /tmp/x.wav');
    });
    const garbage = await outbox.enqueue(tenantId, 'step', {}, 'garbage');
    const missing = await outbox.enqueue(tenantId, 'step', {}, 'missing');
    await outbox.runDue();
    expect(await outbox.job(tenantId, garbage.id)).toMatchObject({ state: 'parked', lastError: expect.stringContaining('not JSON') });
    expect(await outbox.job(tenantId, missing.id)).toMatchObject({ state: 'parked', lastError: expect.stringContaining('missing') });
  });

  it('does not run a job before the job it comes after is done', async () => {
    const order: string[] = [];
    let failFirst = true;
    const { tenantId, outbox } = await setup(store(), async (job) => {
      if (job.dedupeKey === 'a' && failFirst) {
        failFirst = false;
        throw CrmError.retryable('500');
      }
      order.push(job.dedupeKey);
      return job.dedupeKey;
    });
    const [a] = await outbox.enqueueChain(tenantId, ['a', 'b', 'c'].map((k) => ({ kind: 'step', payload: {}, dedupeKey: k })));
    await outbox.runDue();
    expect(order).toEqual([]);
    expect((await outbox.jobs(tenantId, { state: 'pending' })).map((j) => j.dedupeKey).sort()).toEqual(['a', 'b', 'c']);
    clock.advance(60_000);
    await outbox.runDue();
    expect(order).toEqual(['a', 'b', 'c']);
    const d = await outbox.enqueue(tenantId, 'step', {}, 'd', { after: a!.id });
    await outbox.runDue();
    expect((await outbox.job(tenantId, d.id)).state).toBe('done');
  });

  it('never lets two runners run the same job', async () => {
    const handler = vi.fn(async () => {
      await new Promise((r) => setTimeout(r, 20));
      return 'ok';
    });
    const { tenantId, outbox } = await setup(store(), handler);
    const twin = new Outbox({ repo: store().outbox, clock, random: seededRandom(2), policy }).register('step', handler);
    for (let i = 0; i < 6; i++) await outbox.enqueue(tenantId, 'step', {}, `key-${i}`);
    const [one, two] = await Promise.all([outbox.runDue(), twin.runDue()]);
    expect(one.ran + two.ran).toBe(6);
    expect(handler).toHaveBeenCalledTimes(6);
  });

  it('resumes jobs a crash left running', async () => {
    const { tenantId, outbox } = await setup(store(), async () => 'ok');
    const job = await outbox.enqueue(tenantId, 'step', {}, 'key-1');
    await store().outbox.transition(tenantId, job.id, { from: ['pending'], to: 'running', attempts: 1 });
    expect(await outbox.runDue()).toMatchObject({ ran: 0 });
    const restarted = new Outbox({ repo: store().outbox, clock, policy }).register('step', async () => 'after restart');
    expect(await restarted.recoverAfterRestart()).toBe(1);
    await restarted.runDue();
    const detail = await restarted.job(tenantId, job.id);
    expect(detail).toMatchObject({ state: 'done', attempts: 2, result: 'after restart' });
    expect(detail.history.map((e) => e.event)).toEqual(['enqueued', 'recovered', 'done']);
  });

  it('ignores the outcome of an attempt whose job was parked meanwhile', async () => {
    let release!: () => void;
    const { tenantId, outbox } = await setup(store(), () => new Promise((r) => (release = () => r('late'))));
    const job = await outbox.enqueue(tenantId, 'step', {}, 'key-1', { groupKey: 'recording:r1' });
    const running = outbox.runDue();
    await vi.waitFor(() => expect(release).toBeTypeOf('function'));
    expect(await outbox.parkGroup(tenantId, 'recording:r1', 'recording purged by retention')).toBe(1);
    release();
    await running;
    expect(await outbox.job(tenantId, job.id)).toMatchObject({ state: 'parked', lastError: 'recording purged by retention' });
  });

  it('shows a tenant only its own jobs', async () => {
    const { tenantId, outbox } = await setup(store(), async () => 'ok');
    const other = await tenantWithQueue(store(), 'globex');
    const job = await outbox.enqueue(tenantId, 'step', {}, 'key-1');
    expect(await outbox.jobs(other.tenantId)).toEqual([]);
    await expect(outbox.job(other.tenantId, job.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(outbox.retry(other.tenantId, job.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('runs by itself on the clock once started, and stops on close', async () => {
    const { tenantId, outbox } = await setup(store(), async () => 'ok');
    outbox.start();
    const job = await outbox.enqueue(tenantId, 'step', {}, 'key-1', { notBefore: new Date(clock.now() + 2_000) });
    clock.advance(0);
    await vi.waitFor(() => expect(clock.pending).toBe(1));
    clock.advance(2_000);
    await vi.waitFor(async () => expect((await outbox.job(tenantId, job.id)).state).toBe('done'));
    await outbox.close();
    await outbox.close();
    const later = await outbox.enqueue(tenantId, 'step', {}, 'key-2');
    clock.advance(60_000);
    expect((await outbox.job(tenantId, later.id)).state).toBe('pending');
  });
});
