import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { AcdEngine } from './acd-engine.js';
import { AcdTimer } from './acd-timer.js';
import type { AcdEffect } from './acd-types.js';

describe('AcdTimer', () => {
  it('ticks the engine at its next due time on the injected clock and hands over the effects', () => {
    const clock = new ManualClock();
    const engine = new AcdEngine({ now: () => clock.now() });
    const seen: AcdEffect[] = [];
    const timer = new AcdTimer(engine, clock, (e) => seen.push(...e));
    engine.upsertQueue({ id: 'q', name: 'q', ringTimeoutSec: 10 });
    engine.upsertAgent({ id: 'ann', queues: ['q'] });
    engine.setAgentState('ann', 'available');
    engine.enqueue({ callId: 'c1', queueId: 'q' });
    timer.arm();
    clock.advance(9_999);
    expect(seen).toEqual([]);
    clock.advance(1);
    expect(seen[0]).toMatchObject({ type: 'stop-ringing', callId: 'c1', reason: 'timeout' });
    timer.close();
    timer.arm();
    expect(clock.pending).toBe(0);
  });
});
