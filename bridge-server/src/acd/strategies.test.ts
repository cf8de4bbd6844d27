import { describe, expect, it } from 'vitest';
import { agent, call, offers, queue, testAcd, type TestAcd } from './acd-test-kit.js';
import type { RoutingStrategy } from './routing-strategy.js';

/** Offer, answer, talk for `talkSec`, end (wrap-up 0: the agent is ready again at once). */
function handle(acd: TestAcd, callId: string, agentId: string, talkSec: number): void {
  acd.engine.answered(callId, agentId);
  acd.advance(talkSec);
  acd.engine.ended(callId);
}

function setup(strategy: RoutingStrategy, agents: Array<[string, Record<string, number>]>, extra = {}): TestAcd {
  const acd = testAcd();
  queue(acd, 'q', { strategy, skills: [{ skill: 'en', minLevel: 3 }], ...extra });
  for (const [id, skills] of agents) {
    agent(acd, id, ['q'], skills);
    acd.advance(1);
  }
  return acd;
}

describe('longest-idle', () => {
  it('offers the call to the agent free the longest, then to the next once that one is busy again', () => {
    const acd = setup('longest-idle', [['ann', { en: 5 }], ['bob', { en: 5 }]]);
    expect(call(acd, 'c1', 'q')).toEqual(['ann']);
    handle(acd, 'c1', 'ann', 30);
    expect(call(acd, 'c2', 'q')).toEqual(['bob']);
  });
});

describe('round-robin', () => {
  it('rotates by who this queue offered a call least recently, not by idle time', () => {
    const acd = setup('round-robin', [['ann', { en: 5 }], ['bob', { en: 5 }], ['cat', { en: 5 }]]);
    expect(call(acd, 'c1', 'q')).toEqual(['ann']);
    acd.engine.answered('c1', 'ann'); // ann stays busy
    expect(call(acd, 'c2', 'q')).toEqual(['bob']);
    acd.engine.answered('c2', 'bob');
    expect(call(acd, 'c3', 'q')).toEqual(['cat']);
    handle(acd, 'c3', 'cat', 10); // cat free first…
    acd.advance(10);
    acd.engine.ended('c2'); // …bob free later
    // Longest-idle would pick cat; the rotation says bob (offered before cat).
    expect(call(acd, 'c4', 'q')).toEqual(['bob']);
  });
});

describe('fewest-calls-today', () => {
  it('prefers the agent with fewer answered calls today over the longer idle one', () => {
    const acd = setup('fewest-calls-today', [['ann', { en: 5 }], ['bob', { en: 5 }]]);
    expect(call(acd, 'c1', 'q')).toEqual(['ann']);
    handle(acd, 'c1', 'ann', 5);
    expect(call(acd, 'c2', 'q')).toEqual(['bob']);
    acd.engine.answered('c2', 'bob'); // bob stays on this call
    expect(call(acd, 'c3', 'q')).toEqual(['ann']);
    handle(acd, 'c3', 'ann', 5);
    acd.advance(60);
    acd.engine.ended('c2'); // bob is free after ann: longest-idle would now pick ann
    expect(acd.engine.agent('ann')!.callsToday).toBe(2);
    expect(call(acd, 'c4', 'q')).toEqual(['bob']);
  });

  it('starts counting afresh at midnight in the engine time zone', () => {
    const acd = testAcd({ timeZone: 'Europe/Berlin' }, Date.UTC(2025, 0, 6, 22, 0));
    queue(acd, 'q', { strategy: 'fewest-calls-today' });
    agent(acd, 'ann', ['q']);
    acd.advance(1);
    agent(acd, 'bob', ['q']);
    call(acd, 'c1', 'q');
    handle(acd, 'c1', 'ann', 5);
    expect(call(acd, 'c2', 'q')).toEqual(['bob']); // ann has one call today
    handle(acd, 'c2', 'bob', 5);
    acd.advance(3600); // 00:00 Berlin is 23:00Z
    expect(acd.engine.agent('ann')!.callsToday).toBe(0);
    expect(call(acd, 'c3', 'q')).toEqual(['ann']); // counts equal: longest idle
  });
});

describe('least-talk-time', () => {
  it('prefers the agent with less talk time today even with more calls', () => {
    const acd = setup('least-talk-time', [['ann', { en: 5 }], ['bob', { en: 5 }]]);
    call(acd, 'c1', 'q');
    handle(acd, 'c1', 'ann', 300);
    call(acd, 'c2', 'q');
    handle(acd, 'c2', 'bob', 20);
    expect(call(acd, 'c3', 'q')).toEqual(['bob']); // longest-idle would pick ann here
    handle(acd, 'c3', 'bob', 20);
    expect(call(acd, 'c4', 'q')).toEqual(['bob']);
  });
});

describe('best-skill-match', () => {
  it('prefers the highest level in the required skills, idle time breaking ties', () => {
    const acd = setup('best-skill-match', [['ann', { en: 5 }], ['cat', { en: 9 }], ['bob', { en: 9 }]]);
    expect(call(acd, 'c1', 'q')).toEqual(['cat']);
    expect(call(acd, 'c2', 'q')).toEqual(['bob']);
    expect(call(acd, 'c3', 'q')).toEqual(['ann']);
  });

  it('never offers the call to an agent below the minimum level', () => {
    const acd = setup('best-skill-match', [['low', { en: 2 }], ['none', {}]]);
    expect(call(acd, 'c1', 'q')).toEqual([]);
    expect(acd.engine.waitInfo('c1')).toMatchObject({ state: 'waiting', position: 1 });
  });
});

describe('ring-all', () => {
  it('rings every free agent at once; the first to answer takes it and the others are released', () => {
    const acd = setup('ring-all', [['ann', { en: 5 }], ['bob', { en: 5 }], ['cat', { en: 5 }]]);
    expect(call(acd, 'c1', 'q')).toEqual(['ann', 'bob', 'cat']);
    const effects = acd.engine.answered('c1', 'bob');
    expect(effects[0]).toMatchObject({ type: 'stop-ringing', callId: 'c1', agentIds: ['ann', 'cat'], reason: 'answered-elsewhere' });
    expect(acd.engine.agent('ann')).toMatchObject({ state: 'available', misses: 0 });
    expect(acd.engine.agent('bob')!.state).toBe('on-call');
    expect(() => acd.engine.answered('c1', 'cat')).toThrow(/not ringing/);
  });

  it('rings at most ringAllMax agents, longest idle first', () => {
    const acd = setup('ring-all', [['ann', { en: 5 }], ['bob', { en: 5 }], ['cat', { en: 5 }]], { ringAllMax: 2 });
    expect(call(acd, 'c1', 'q')).toEqual(['ann', 'bob']);
    expect(offers(acd.engine.enqueue({ callId: 'c2', queueId: 'q' }).effects)).toEqual([['c2', ['cat']]]);
  });
});
