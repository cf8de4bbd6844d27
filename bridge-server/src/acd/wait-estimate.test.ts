import { describe, expect, it } from 'vitest';
import { agent, call, queue, testAcd } from './acd-test-kit.js';

describe('position and estimated wait', () => {
  it('gives every waiting caller its position and position × handle time ÷ staffed agents', () => {
    const acd = testAcd();
    queue(acd, 'q', { expectedHandleSec: 100 });
    for (const id of ['ann', 'bob']) {
      agent(acd, id, ['q']);
      call(acd, `busy-${id}`, 'q');
      acd.engine.answered(`busy-${id}`, id);
    }
    for (const id of ['c1', 'c2', 'c3']) call(acd, id, 'q');
    expect(acd.engine.waitingCalls('q').map((w) => [w.callId, w.position, w.ewtSec])).toEqual([
      ['c1', 1, 50],
      ['c2', 2, 100],
      ['c3', 3, 150],
    ]);
    expect(acd.engine.waitInfo('c2')).toMatchObject({ position: 2, ewtSec: 100, state: 'waiting' });
  });

  it('learns the handle time (talk plus wrap-up) from recent calls', () => {
    const acd = testAcd();
    queue(acd, 'q', { expectedHandleSec: 300, wrapUpSec: 20 });
    agent(acd, 'ann', ['q']);
    call(acd, 'c1', 'q');
    acd.engine.answered('c1', 'ann');
    acd.advance(40);
    acd.engine.ended('c1');
    acd.advance(20);
    expect(acd.engine.queueStatus('q').ahtSec).toBe(60);
    call(acd, 'c2', 'q');
    acd.engine.answered('c2', 'ann');
    expect(acd.engine.enqueue({ callId: 'c3', queueId: 'q' })).toMatchObject({ position: 1, ewtSec: 60 });
  });

  it('has no estimate when nobody is staffed, and reports the queue status', () => {
    const acd = testAcd();
    queue(acd, 'q');
    expect(acd.engine.enqueue({ callId: 'c1', queueId: 'q' })).toMatchObject({ outcome: 'queued', position: 1, ewtSec: null });
    acd.advance(30);
    expect(acd.engine.queueStatus('q')).toMatchObject({ open: true, waiting: 1, free: 0, staffed: 0, longestWaitSec: 30 });
  });
});
