import { describe, expect, it } from 'vitest';
import { AgentStatusPoller, POLL_INTERVAL_MS } from './agent-status-poller.js';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function harness(answers: (() => Promise<string | null>)[] = []) {
  let clock = 0;
  const timers: { callback: () => void; at: number }[] = [];
  const delivered: string[] = [];
  const failures: unknown[] = [];
  let requests = 0;
  const poller = new AgentStatusPoller<string>({
    fetch: () => {
      requests++;
      const answer = answers.shift();
      return answer ? answer() : Promise.resolve(`s${requests}`);
    },
    deliver: (status) => delivered.push(status),
    fail: (error) => failures.push(error),
    setTimer: (callback, ms) => {
      const timer = { callback, at: clock + ms };
      timers.push(timer);
      return timer;
    },
    clearTimer: (handle) => {
      const index = timers.indexOf(handle as (typeof timers)[number]);
      if (index >= 0) timers.splice(index, 1);
    },
  });
  return {
    poller, delivered, failures, timers,
    requests: () => requests,
    advance: async (ms: number) => {
      clock += ms;
      for (const timer of [...timers]) {
        if (timer.at <= clock) {
          timers.splice(timers.indexOf(timer), 1);
          timer.callback();
        }
      }
      await settle();
    },
  };
}

function deferred() {
  let resolve!: (value: string | null) => void;
  const promise = new Promise<string | null>((r) => (resolve = r));
  return { promise, resolve };
}

describe('AgentStatusPoller', () => {
  it('polls at once, then every three seconds, one timer at a time', async () => {
    const h = harness();
    h.poller.start();
    h.poller.start();
    await settle();
    expect(h.delivered).toEqual(['s1']);
    expect(h.timers).toHaveLength(1);
    await h.advance(POLL_INTERVAL_MS - 1);
    expect(h.requests()).toBe(1);
    await h.advance(1);
    await h.advance(POLL_INTERVAL_MS);
    expect(h.delivered).toEqual(['s1', 's2', 's3']);
    expect(h.timers).toHaveLength(1);
  });

  it('never runs two requests at once: a poll asked for meanwhile follows the one under way', async () => {
    const slow = deferred();
    const h = harness([() => slow.promise]);
    h.poller.start();
    h.poller.pollNow();
    h.poller.pollNow();
    expect(h.requests()).toBe(1);
    slow.resolve('first');
    await settle();
    await settle();
    expect(h.requests()).toBe(2);
    expect(h.delivered).toEqual(['first', 's2']);
  });

  it('drops the answer of a request sent before a presence change', async () => {
    const stale = deferred();
    const h = harness([() => stale.promise]);
    h.poller.start();
    h.poller.invalidate();
    h.poller.pollNow();
    stale.resolve('before the change');
    await settle();
    await settle();
    expect(h.delivered).toEqual(['s2']);
  });

  it('reports failures and keeps polling', async () => {
    const h = harness([() => Promise.reject(new Error('offline'))]);
    h.poller.start();
    await settle();
    expect(h.failures).toHaveLength(1);
    await h.advance(POLL_INTERVAL_MS);
    expect(h.delivered).toEqual(['s2']);
  });

  it('skips snapshots it could not understand', async () => {
    const h = harness([() => Promise.resolve(null)]);
    h.poller.start();
    await settle();
    expect(h.delivered).toEqual([]);
    expect(h.timers).toHaveLength(1);
  });

  it('stops for good: no timer left, a late answer dropped, pollNow ignored', async () => {
    const late = deferred();
    const h = harness([() => late.promise]);
    h.poller.start();
    h.poller.stop();
    late.resolve('late');
    h.poller.pollNow();
    await settle();
    expect(h.delivered).toEqual([]);
    expect(h.timers).toHaveLength(0);
    expect(h.poller.running).toBe(false);
  });
});
