import { describe, expect, it } from 'vitest';
import { agent, call, offers, queue, testAcd, type TestAcd } from './acd-test-kit.js';

/** End the agent's current call and answer the call it is offered next; returns that call's id. */
function next(acd: TestAcd, agentId: string, current: string): string | undefined {
  const offered = offers(acd.engine.ended(current))[0]?.[0];
  if (offered) acd.engine.answered(offered, agentId);
  return offered;
}

/** A first call the agent answers, so later callers wait. */
function keepBusy(acd: TestAcd, agentId: string): void {
  call(acd, 'busy', 'q');
  acd.engine.answered('busy', agentId);
}

describe('caller priority with aging', () => {
  it('lets a priority caller overtake callers who arrived less than its head start before it', () => {
    const acd = testAcd({ secondsPerPriorityLevel: 60 });
    queue(acd, 'q');
    agent(acd, 'ann', ['q']);
    keepBusy(acd, 'ann');
    call(acd, 'early', 'q');
    acd.advance(30);
    call(acd, 'vip', 'q', 1); // 60 s head start: ahead of "early" (30 s older)
    expect(acd.engine.waitInfo('vip')!.position).toBe(1);
    expect(next(acd, 'ann', 'busy')).toBe('vip');
  });

  it('does not let a priority caller overtake someone who has waited longer than its head start', () => {
    const acd = testAcd({ secondsPerPriorityLevel: 60 });
    queue(acd, 'q');
    agent(acd, 'ann', ['q']);
    keepBusy(acd, 'ann');
    call(acd, 'patient', 'q');
    acd.advance(90);
    call(acd, 'vip', 'q', 1);
    expect(acd.engine.waitInfo('vip')!.position).toBe(2);
    expect(next(acd, 'ann', 'busy')).toBe('patient');
  });

  it('serves a low-priority caller within a bounded time under an endless stream of priority callers', () => {
    const acd = testAcd({ secondsPerPriorityLevel: 60 });
    queue(acd, 'q');
    agent(acd, 'ann', ['q']);
    keepBusy(acd, 'ann');
    acd.advance(1);
    call(acd, 'low', 'q');
    let current = 'busy';
    let served = -1;
    for (let i = 1; i <= 400 && served < 0; i++) {
      call(acd, `vip${i}`, 'q', 3); // a priority-3 caller every 10 s, service takes 10 s
      acd.advance(10);
      const n = next(acd, 'ann', current)!;
      if (n === 'low') served = i;
      current = n;
    }
    // 3 levels × 60 s = 180 s of head start: after that "low" is ahead of every new arrival.
    expect(served).toBeGreaterThan(0);
    expect(served).toBeLessThanOrEqual(20);
  });

  it('orders across queues by queue priority as a head start, so an agent of both takes the priority queue first', () => {
    const acd = testAcd({ secondsPerPriorityLevel: 60 });
    queue(acd, 'normal');
    queue(acd, 'gold', { priority: 2 });
    agent(acd, 'ann', ['normal', 'gold'], {}, false);
    call(acd, 'n1', 'normal');
    acd.advance(60);
    call(acd, 'g1', 'gold');
    expect(offers(acd.engine.setAgentState('ann', 'available'))).toEqual([['g1', ['ann']]]);
  });

  it('keeps first-come first-served among equal priorities', () => {
    const acd = testAcd();
    queue(acd, 'q');
    agent(acd, 'ann', ['q'], {}, false);
    for (const id of ['a', 'b', 'c']) {
      call(acd, id, 'q');
      acd.advance(1);
    }
    expect(acd.engine.waitingCalls('q').map((w) => w.callId)).toEqual(['a', 'b', 'c']);
    expect(offers(acd.engine.setAgentState('ann', 'available'))).toEqual([['a', ['ann']]]);
  });
});
