import { describe, expect, it } from 'vitest';
import { agent, call, offers, queue, testAcd } from './acd-test-kit.js';

describe('ring-no-answer', () => {
  it('stops ringing after the ring timeout, puts the call back at the head of its line and offers it to the next agent', () => {
    const acd = testAcd();
    queue(acd, 'q', { ringTimeoutSec: 15 });
    agent(acd, 'ann', ['q']);
    acd.advance(1);
    expect(call(acd, 'c1', 'q')).toEqual(['ann']);
    acd.advance(1);
    call(acd, 'c2', 'q'); // waits behind c1
    acd.advance(1);
    agent(acd, 'bob', ['q']); // bob takes c2 (c1 is ringing ann)
    acd.engine.answered('c2', 'bob');
    acd.advance(1);
    agent(acd, 'cat', ['q'], {}, false);
    call(acd, 'c3', 'q');
    const effects = acd.advance(12); // 15 s after the offer to ann
    expect(effects[0]).toMatchObject({ type: 'stop-ringing', callId: 'c1', agentIds: ['ann'], reason: 'timeout' });
    expect(acd.engine.waitInfo('c1')).toMatchObject({ state: 'waiting', position: 1 });
    // ann is not offered c1 again at once (she just missed it), so she takes c3; the next agent gets c1.
    expect(offers(effects)).toEqual([['c3', ['ann']]]);
    expect(offers(acd.engine.setAgentState('cat', 'available'))).toEqual([['c1', ['cat']]]);
    expect(acd.engine.agent('ann')!.misses).toBe(1);
  });

  it('treats a rejection like a miss and re-offers the call to the same agent only after a ring timeout', () => {
    const acd = testAcd();
    queue(acd, 'q', { ringTimeoutSec: 20 });
    agent(acd, 'ann', ['q']);
    call(acd, 'c1', 'q');
    const effects = acd.engine.ringFailed('c1', 'ann', 'rejected');
    expect(offers(effects)).toEqual([]);
    expect(acd.engine.agent('ann')).toMatchObject({ state: 'available', misses: 1 });
    expect(offers(acd.advance(19))).toEqual([]);
    expect(offers(acd.advance(1))).toEqual([['c1', ['ann']]]);
  });

  it('sends the agent away with reason missed after the configured number of misses in a row', () => {
    const acd = testAcd({ maxMissesBeforeAway: 2 });
    queue(acd, 'q', { ringTimeoutSec: 10 });
    agent(acd, 'ann', ['q']);
    agent(acd, 'bob', ['q'], {}, false);
    call(acd, 'c1', 'q');
    acd.advance(10); // miss 1
    acd.advance(10); // re-offered to ann after the decline window… (it is the only agent)
    expect(acd.engine.agent('ann')!.state).toBe('reserved');
    acd.advance(10); // miss 2
    expect(acd.engine.agent('ann')).toMatchObject({ state: 'away', awayReason: 'missed', misses: 2 });
    expect(offers(acd.engine.setAgentState('bob', 'available'))).toEqual([['c1', ['bob']]]);
    acd.engine.setAgentState('ann', 'available');
    expect(acd.engine.agent('ann')!.misses).toBe(0);
  });

  it('resets the miss count when the agent answers', () => {
    const acd = testAcd({ maxMissesBeforeAway: 2 });
    queue(acd, 'q', { ringTimeoutSec: 10 });
    agent(acd, 'ann', ['q']);
    call(acd, 'c1', 'q');
    acd.engine.ringFailed('c1', 'ann', 'no-answer');
    acd.advance(10);
    acd.engine.answered('c1', 'ann');
    expect(acd.engine.agent('ann')!.misses).toBe(0);
  });

  it('ignores a failure reported after the engine already timed the offer out, and refuses a late answer', () => {
    const acd = testAcd();
    queue(acd, 'q', { ringTimeoutSec: 10 });
    agent(acd, 'ann', ['q']);
    call(acd, 'c1', 'q');
    acd.advance(10);
    expect(acd.engine.ringFailed('c1', 'ann', 'no-answer')).toEqual([]);
    expect(acd.engine.agent('ann')!.misses).toBe(1);
    expect(() => acd.engine.answered('c1', 'ann')).toThrow(/not ringing/);
  });

  it('frees the ringing agents without a miss when the caller hangs up', () => {
    const acd = testAcd();
    queue(acd, 'q');
    agent(acd, 'ann', ['q']);
    call(acd, 'c1', 'q');
    const effects = acd.engine.ended('c1');
    expect(effects[0]).toMatchObject({ type: 'stop-ringing', agentIds: ['ann'], reason: 'caller-left' });
    expect(acd.engine.agent('ann')).toMatchObject({ state: 'available', misses: 0 });
    expect(acd.engine.ended('c1')).toEqual([]);
  });
});
