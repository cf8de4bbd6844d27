import { AcdEngine } from '../src/acd/acd-engine.js';
import type { AcdEffect } from '../src/acd/acd-types.js';
import { averageSpeedOfAnswer, erlangC, serviceLevel, trafficErlangs } from '../src/acd/erlang-c.js';
import { MinHeap } from '../src/acd/min-heap.js';
import { Prng } from './prng.js';

export interface SimOptions {
  readonly arrivalsPerMin: number;
  readonly ahtSec: number;
  readonly agents: number;
  /** Service-level threshold in seconds. */
  readonly slSec: number;
  readonly calls: number;
  readonly seed: number;
  /** Calls at the start left out of the figures while the empty system fills up. Default 1 % (at most 2,000). */
  readonly warmupCalls?: number;
}

export interface SimResult {
  readonly calls: number;
  readonly pWait: number;
  readonly asaSec: number;
  readonly serviceLevel: number;
  /** Share of staffed agent time spent on calls. */
  readonly occupancy: number;
  readonly simulatedHours: number;
  /** What Erlang C predicts for the same inputs. */
  readonly erlangC: { readonly pWait: number; readonly asaSec: number; readonly serviceLevel: number };
}

/**
 * What-if staffing by discrete-event simulation of the REAL engine: Poisson arrivals, exponential handle times,
 * one queue, longest-idle, no wrap-up, no abandonment, every offer answered at once — the M/M/c assumptions of
 * Erlang C, so the two must agree. Simulated time only (the engine reads the simulation's clock); the same seed
 * gives the same figures.
 */
export function simulate(o: SimOptions): SimResult {
  if (!(o.arrivalsPerMin > 0 && o.ahtSec > 0 && o.agents >= 1 && o.calls >= 1 && o.slSec >= 0)) {
    throw new RangeError('arrivals-per-min, aht-sec, agents and calls must be positive');
  }
  const rng = new Prng(o.seed);
  let now = 0;
  const engine = new AcdEngine({ now: () => now });
  engine.upsertQueue({ id: 'sim', name: 'Simulated queue', strategy: 'longest-idle', wrapUpSec: 0, ringTimeoutSec: 600, serviceLevel: { seconds: Math.max(1, Math.round(o.slSec)) } });
  for (let i = 0; i < o.agents; i++) {
    engine.upsertAgent({ id: `agent-${i}`, queues: ['sim'] });
    engine.setAgentState(`agent-${i}`, 'available');
  }
  const warmup = o.warmupCalls ?? Math.min(2000, Math.floor(o.calls / 100));
  const arrivedAt = new Float64Array(o.calls);
  const completions = new MinHeap<{ at: number; callId: string }>((a, b) => a.at < b.at);
  let counted = 0;
  let waited = 0;
  let withinSl = 0;
  let waitSumMs = 0;
  let busyMs = 0;
  const slMs = o.slSec * 1000;
  const ahtMs = o.ahtSec * 1000;

  const apply = (effects: readonly AcdEffect[]): void => {
    for (const e of effects) {
      if (e.type !== 'offer') continue;
      const index = Number(e.callId);
      const wait = now - arrivedAt[index]!;
      if (index >= warmup) {
        counted++;
        if (wait > 0) waited++;
        if (wait <= slMs) withinSl++;
        waitSumMs += wait;
      }
      const handle = rng.exponential(ahtMs);
      busyMs += handle;
      apply(engine.answered(e.callId, e.agentIds[0]!));
      completions.push({ at: now + handle, callId: e.callId });
    }
  };

  const meanGapMs = 60_000 / o.arrivalsPerMin;
  let nextArrival = rng.exponential(meanGapMs);
  let arrived = 0;
  while (arrived < o.calls || completions.size > 0) {
    const done = completions.peek();
    if (arrived < o.calls && (!done || nextArrival <= done.at)) {
      now = nextArrival;
      arrivedAt[arrived] = now;
      apply(engine.enqueue({ callId: String(arrived), queueId: 'sim' }).effects);
      arrived++;
      nextArrival += rng.exponential(meanGapMs);
    } else {
      completions.pop();
      now = done!.at;
      apply(engine.ended(done!.callId));
    }
  }
  const a = trafficErlangs(o.arrivalsPerMin, o.ahtSec);
  return {
    calls: counted,
    pWait: waited / counted,
    asaSec: waitSumMs / counted / 1000,
    serviceLevel: withinSl / counted,
    occupancy: busyMs / (o.agents * now),
    simulatedHours: now / 3_600_000,
    erlangC: {
      pWait: erlangC(o.agents, a),
      asaSec: averageSpeedOfAnswer(o.agents, a, o.ahtSec),
      serviceLevel: serviceLevel(o.agents, a, o.ahtSec, o.slSec),
    },
  };
}
