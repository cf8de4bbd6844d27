import { describe, expect, it } from 'vitest';
import { agent, call, queue, testAcd } from './acd-test-kit.js';

describe('queue and agent metrics per interval', () => {
  it('counts offered, answered within the service level, abandons with a threshold, ASA, longest wait and occupancy', () => {
    const acd = testAcd(); // 09:00:00, interval 09:00–09:15
    queue(acd, 'q', { serviceLevel: { percent: 80, seconds: 20 }, abandonThresholdSec: 5 });
    agent(acd, 'ann', ['q']);
    call(acd, 'c1', 'q');
    acd.advance(10);
    acd.engine.answered('c1', 'ann'); // waited 10 s
    acd.advance(60);
    acd.engine.ended('c1'); // t = 70
    acd.advance(10);
    call(acd, 'c2', 'q'); // t = 80, rings ann
    acd.advance(15);
    acd.engine.answered('c2', 'ann'); // waited 15 s, t = 95
    acd.advance(25);
    call(acd, 'c3', 'q'); // t = 120
    acd.advance(3);
    acd.engine.ended('c3'); // short abandon
    acd.advance(7);
    call(acd, 'c4', 'q'); // t = 130
    acd.advance(70);
    acd.engine.ended('c4'); // abandon after 70 s, t = 200
    acd.advance(100);
    acd.engine.ended('c2'); // t = 300
    acd.advance(600); // t = 900: 09:15, the interval is closed

    const { queues, agents } = acd.engine.metricsRows();
    expect(queues).toHaveLength(1);
    const row = queues[0]!;
    expect(row).toMatchObject({
      queueId: 'q', intervalStart: Date.UTC(2025, 0, 6, 9, 0), intervalSec: 900, offered: 4, answered: 2, answeredWithinSl: 2,
      abandoned: 1, shortAbandoned: 1, deflected: 0, asaSec: 12.5, longestWaitSec: 70, talkSec: 60 + 205, callsPerAgent: 2,
    });
    expect(row.serviceLevel).toBeCloseTo(2 / 3, 10);
    // ann: reserved 0–10, on call 10–70, reserved 80–95, on call 95–300 → 290 s busy of 900 s staffed.
    expect(row.occupancy).toBeCloseTo(290 / 900, 10);
    expect(agents).toEqual([expect.objectContaining({ agentId: 'ann', answered: 2, staffedSec: 900, busySec: 290, availableSec: 610 })]);
    expect(acd.engine.metricsRows().queues).toEqual([]);
  });

  it('splits agent time across interval boundaries and counts an answer in the interval it happens', () => {
    const acd = testAcd({ metricsIntervalMin: 15 }, Date.UTC(2025, 0, 6, 9, 14, 0));
    queue(acd, 'q');
    agent(acd, 'ann', ['q']);
    call(acd, 'c1', 'q');
    acd.advance(10);
    acd.engine.answered('c1', 'ann'); // 09:14:10
    acd.advance(110); // 09:16:00, still talking
    const rows = acd.engine.metricsRows({ includeOpen: true, remove: false });
    const ann = rows.agents.map((r) => [r.intervalStart, r.staffedSec, r.busySec]);
    expect(ann).toEqual([
      [Date.UTC(2025, 0, 6, 9, 0), 60, 60],
      [Date.UTC(2025, 0, 6, 9, 15), 60, 60],
    ]);
    expect(rows.queues.map((r) => [r.intervalStart, r.answered])).toEqual([
      [Date.UTC(2025, 0, 6, 9, 0), 1],
      [Date.UTC(2025, 0, 6, 9, 15), 0],
    ]);
  });

  it('counts deflected and overflowed calls in the queue they left', () => {
    const acd = testAcd();
    queue(acd, 'b', { maxQueueSize: 1, overflow: { type: 'voicemail' } });
    queue(acd, 'a', { maxQueueSize: 1, overflow: { type: 'queue', queueId: 'b' } });
    call(acd, 'c1', 'a');
    call(acd, 'c2', 'a'); // to b
    call(acd, 'c3', 'a'); // to b, then voicemail
    const { queues } = acd.engine.metricsRows({ includeOpen: true });
    const by = Object.fromEntries(queues.map((r) => [r.queueId, r]));
    expect(by.a).toMatchObject({ offered: 3, overflowed: 2 });
    expect(by.b).toMatchObject({ offered: 2, deflected: 1 });
  });
});
