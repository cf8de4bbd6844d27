import { describe, expect, it } from 'vitest';
import { VisiblePoller, type PollTimers, type VisibilitySource } from './visible-poller.js';

/** Hand-driven timers: `fire()` runs the one pending timer as if its delay had passed. */
function manualTimers() {
  const pending = new Map<number, { callback: () => void; ms: number }>();
  let next = 1;
  const timers: PollTimers = {
    setTimeout(callback, ms) {
      pending.set(next, { callback, ms });
      return next++;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };
  return {
    timers,
    pending: () => [...pending.values()].map((t) => t.ms),
    fire() {
      const first = [...pending.entries()][0];
      if (!first) throw new Error('no timer is pending');
      pending.delete(first[0]);
      first[1].callback();
    },
  };
}

function visibility(initial: boolean) {
  let visible = initial;
  const listeners = new Set<() => void>();
  const source: VisibilitySource = {
    isVisible: () => visible,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    source,
    listeners,
    set(v: boolean) {
      visible = v;
      for (const l of listeners) l();
    },
  };
}

/** A tick the test resolves by hand, counting calls. */
function controlledTick() {
  const resolvers: (() => void)[] = [];
  let calls = 0;
  return {
    tick: () => {
      calls += 1;
      return new Promise<void>((resolve) => resolvers.push(resolve));
    },
    get calls() {
      return calls;
    },
    async finish() {
      resolvers.shift()!();
      await settle();
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('VisiblePoller', () => {
  it('ticks at once, then every interval counted from the end of the previous tick', async () => {
    const t = manualTimers();
    const tick = controlledTick();
    const poller = new VisiblePoller({ intervalMs: 10_000, tick: tick.tick, visibility: visibility(true).source, timers: t.timers });
    poller.start();
    await settle();
    expect(tick.calls).toBe(1);
    expect(t.pending()).toEqual([]); // nothing scheduled while the tick runs
    await tick.finish();
    expect(t.pending()).toEqual([10_000]);
    t.fire();
    await settle();
    expect(tick.calls).toBe(2);
    await tick.finish();
    expect(t.pending()).toEqual([10_000]);
  });

  it('stops the timer while hidden and ticks at once when visible again', async () => {
    const t = manualTimers();
    const v = visibility(true);
    let calls = 0;
    const poller = new VisiblePoller({ intervalMs: 10_000, tick: async () => void (calls += 1), visibility: v.source, timers: t.timers });
    poller.start();
    await settle();
    expect(calls).toBe(1);
    expect(t.pending()).toEqual([10_000]);
    v.set(false);
    expect(t.pending()).toEqual([]);
    v.set(true);
    await settle();
    expect(calls).toBe(2);
    expect(t.pending()).toEqual([10_000]);
  });

  it('does not tick on start while hidden, and schedules nothing after a tick that ends hidden', async () => {
    const t = manualTimers();
    const v = visibility(false);
    const tick = controlledTick();
    const poller = new VisiblePoller({ intervalMs: 10_000, tick: tick.tick, visibility: v.source, timers: t.timers });
    poller.start();
    await settle();
    expect(tick.calls).toBe(0);
    v.set(true);
    await settle();
    expect(tick.calls).toBe(1);
    v.set(false);
    await tick.finish();
    expect(t.pending()).toEqual([]);
  });

  it('never runs two ticks at once: refresh during a tick joins it', async () => {
    const t = manualTimers();
    const tick = controlledTick();
    const v = visibility(true);
    const poller = new VisiblePoller({ intervalMs: 10_000, tick: tick.tick, visibility: v.source, timers: t.timers });
    poller.start();
    await settle();
    const joined = poller.refresh();
    v.set(false);
    v.set(true); // visible again during the tick: no second tick
    await settle();
    expect(tick.calls).toBe(1);
    await tick.finish();
    await joined;
    expect(t.pending()).toEqual([10_000]);
  });

  it('refresh ticks now and restarts the interval', async () => {
    const t = manualTimers();
    let calls = 0;
    const poller = new VisiblePoller({ intervalMs: 10_000, tick: async () => void (calls += 1), visibility: visibility(true).source, timers: t.timers });
    poller.start();
    await settle();
    expect(t.pending()).toEqual([10_000]);
    await poller.refresh();
    expect(calls).toBe(2);
    expect(t.pending()).toEqual([10_000]); // the old timer was replaced, not added to
  });

  it('reports a failed tick and keeps polling, even when the tick throws synchronously', async () => {
    const t = manualTimers();
    const errors: unknown[] = [];
    let calls = 0;
    const poller = new VisiblePoller({
      intervalMs: 5000,
      tick: () => {
        calls += 1;
        throw new Error(`down ${calls}`);
      },
      visibility: visibility(true).source,
      timers: t.timers,
      onError: (e) => errors.push(e),
    });
    poller.start();
    await settle();
    expect(errors.map((e) => (e as Error).message)).toEqual(['down 1']);
    t.fire();
    await settle();
    expect(errors.map((e) => (e as Error).message)).toEqual(['down 1', 'down 2']);
    expect(t.pending()).toEqual([5000]);
  });

  it('stop clears the timer and the visibility listener; start and stop are idempotent', async () => {
    const t = manualTimers();
    const v = visibility(true);
    let calls = 0;
    const poller = new VisiblePoller({ intervalMs: 10_000, tick: async () => void (calls += 1), visibility: v.source, timers: t.timers });
    poller.start();
    poller.start();
    await settle();
    expect(calls).toBe(1);
    expect(v.listeners.size).toBe(1);
    poller.stop();
    poller.stop();
    expect(poller.running).toBe(false);
    expect(t.pending()).toEqual([]);
    expect(v.listeners.size).toBe(0);
    v.set(true);
    await settle();
    expect(calls).toBe(1);
  });

  it('a tick in flight when stopped schedules nothing', async () => {
    const t = manualTimers();
    const tick = controlledTick();
    const poller = new VisiblePoller({ intervalMs: 10_000, tick: tick.tick, visibility: visibility(true).source, timers: t.timers });
    poller.start();
    await settle();
    poller.stop();
    await tick.finish();
    expect(t.pending()).toEqual([]);
  });
});
