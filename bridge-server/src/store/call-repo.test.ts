import { describe, expect, it } from 'vitest';
import type { Store } from './store.js';
import { testBackends, useStore } from './test-backends.js';

const T0 = Date.parse('2026-11-21T10:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

describe.each(testBackends())('call records on $name', (backend) => {
  const store = useStore(backend);

  async function setup(s: Store) {
    const tenant = await s.tenants.create({ slug: 'acme', name: 'Acme', sipDomain: 'acme.example' });
    const queue = await s.queues.create({ tenantId: tenant.id, name: 'sales', displayName: 'Sales', mode: 'form' });
    const agent = await s.agents.create({
      tenantId: tenant.id,
      username: 'alice',
      displayName: 'Alice',
      password: 'pw',
      realm: tenant.sipDomain,
      queueIds: [queue.id],
    });
    const offer = (sipCallId: string, seconds = 0) =>
      s.calls.offered({
        tenantId: tenant.id,
        queueId: queue.id,
        callerName: 'Vera Visitor',
        callerPhone: '+62 21 555 0100',
        callerEmail: 'vera@example.com',
        sipCallId,
        at: at(seconds),
      });
    return { tenantId: tenant.id, queue, agent, offer };
  }

  it('go offered → answered → completed with wait and talk seconds', async () => {
    const { tenantId, queue, agent, offer } = await setup(store());
    const id = await offer('visitor-leg-1');
    expect(await store().calls.get(tenantId, id)).toMatchObject({
      queueId: queue.id,
      callerName: 'Vera Visitor',
      callerEmail: 'vera@example.com',
      offeredAt: at(0),
      answeredAt: null,
      endedAt: null,
      agentId: null,
      waitSeconds: null,
      talkSeconds: null,
      endReason: null,
    });

    const answered = await store().calls.answered(tenantId, id, agent.id, at(12.25));
    expect(answered).toMatchObject({ agentId: agent.id, answeredAt: at(12.25), waitSeconds: 12.25, talkSeconds: null });

    const ended = await store().calls.ended(tenantId, id, 'completed', at(100.5));
    expect(ended).toMatchObject({ endedAt: at(100.5), endReason: 'completed', waitSeconds: 12.25, talkSeconds: 88.25 });
    expect(await store().calls.get(tenantId, id)).toEqual(ended);
  });

  it('record an abandoned call with its wait and no talk time', async () => {
    const { tenantId, offer } = await setup(store());
    const id = await offer('visitor-leg-2');
    const ended = await store().calls.ended(tenantId, id, 'abandoned', at(31.5));
    expect(ended).toMatchObject({ endReason: 'abandoned', waitSeconds: 31.5, talkSeconds: null, agentId: null });
  });

  it('keep the first end: ending twice changes nothing', async () => {
    const { tenantId, agent, offer } = await setup(store());
    const id = await offer('visitor-leg-3');
    await store().calls.answered(tenantId, id, agent.id, at(5));
    const first = await store().calls.ended(tenantId, id, 'completed', at(65));
    const second = await store().calls.ended(tenantId, id, 'failed', at(999));
    expect(second).toEqual(first);
    expect(await store().calls.get(tenantId, id)).toMatchObject({ endReason: 'completed', talkSeconds: 60 });
  });

  it('refuse to answer a call twice or after it ended', async () => {
    const { tenantId, agent, offer } = await setup(store());
    const answeredTwice = await offer('leg-a');
    await store().calls.answered(tenantId, answeredTwice, agent.id, at(1));
    await expect(store().calls.answered(tenantId, answeredTwice, agent.id, at(2))).rejects.toMatchObject({
      code: 'CONFLICT',
      detail: { state: 'answered' },
    });
    const endedFirst = await offer('leg-b');
    await store().calls.ended(tenantId, endedFirst, 'abandoned', at(3));
    await expect(store().calls.answered(tenantId, endedFirst, agent.id, at(4))).rejects.toMatchObject({
      code: 'CONFLICT',
      detail: { state: 'ended' },
    });
  });

  it('never count negative seconds when the clock stepped backwards', async () => {
    const { tenantId, agent, offer } = await setup(store());
    const id = await offer('leg-skew', 10);
    expect((await store().calls.answered(tenantId, id, agent.id, at(9))).waitSeconds).toBe(0);
  });

  it('close every open call as failed at start, answered or not, and leave ended ones alone', async () => {
    const { tenantId, agent, offer } = await setup(store());
    const ringing = await offer('ringing', 0);
    const talking = await offer('talking', 0);
    const done = await offer('done', 0);
    await store().calls.answered(tenantId, talking, agent.id, at(10));
    await store().calls.ended(tenantId, done, 'abandoned', at(4));

    expect(await store().calls.closeDangling('failed', at(70))).toBe(2);
    expect(await store().calls.get(tenantId, ringing)).toMatchObject({ endReason: 'failed', waitSeconds: 70, talkSeconds: null });
    expect(await store().calls.get(tenantId, talking)).toMatchObject({ endReason: 'failed', waitSeconds: 10, talkSeconds: 60 });
    expect(await store().calls.get(tenantId, done)).toMatchObject({ endReason: 'abandoned', waitSeconds: 4 });
    expect(await store().calls.closeDangling('failed', at(80))).toBe(0);
  });

  it('are found by the visitor leg Call-ID', async () => {
    const { tenantId, offer } = await setup(store());
    const id = await offer('a84b4c76e66710@pc33.example');
    expect((await store().calls.findBySipCallId(tenantId, 'a84b4c76e66710@pc33.example'))?.id).toBe(id);
    expect(await store().calls.findBySipCallId(tenantId, 'unknown')).toBeNull();
  });

  it('list newest first, page with before, and clamp the limit', async () => {
    const { tenantId, offer } = await setup(store());
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await offer(`leg-${i}`, i * 60));
    const firstPage = await store().calls.list(tenantId, { limit: 2 });
    expect(firstPage.map((c) => c.id)).toEqual([ids[4], ids[3]]);
    const nextPage = await store().calls.list(tenantId, { limit: 2, before: firstPage[1]!.offeredAt });
    expect(nextPage.map((c) => c.id)).toEqual([ids[2], ids[1]]);
    expect(await store().calls.list(tenantId, { limit: 0 })).toHaveLength(1);
  });

  it('count by end reason, with open calls apart', async () => {
    const { tenantId, agent, offer } = await setup(store());
    const [a, b, c] = [await offer('1'), await offer('2'), await offer('3')];
    await offer('4');
    await store().calls.answered(tenantId, a, agent.id, at(1));
    await store().calls.ended(tenantId, a, 'completed', at(2));
    await store().calls.ended(tenantId, b, 'abandoned', at(2));
    await store().calls.ended(tenantId, c, 'abandoned', at(2));
    const expected = { completed: 1, abandoned: 2, rejected: 0, failed: 0, open: 1 };
    expect(await store().calls.countByEndReason(tenantId)).toEqual(expected);
    expect(await store().calls.countByEndReason()).toEqual(expected);
  });

  it('answer NOT_FOUND for an unknown call', async () => {
    const { tenantId, agent } = await setup(store());
    const unknown = '00000000-0000-0000-0000-000000000000';
    await expect(store().calls.get(tenantId, unknown)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store().calls.answered(tenantId, unknown, agent.id, at(1))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store().calls.ended(tenantId, unknown, 'failed', at(1))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
