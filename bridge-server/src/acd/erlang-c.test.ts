import { describe, expect, it } from 'vitest';
import { agentsNeeded, averageSpeedOfAnswer, erlangB, erlangC, serviceLevel, trafficErlangs } from './erlang-c.js';

/** Erlang C by the textbook sum, in log space so it cannot overflow — an independent check of the recurrence. */
function erlangCBySum(c: number, a: number): number {
  const logs: number[] = [];
  let logFact = 0; // log k!
  for (let k = 0; k < c; k++) {
    if (k > 0) logFact += Math.log(k);
    logs.push(k * Math.log(a) - logFact);
  }
  const lastLog = c * Math.log(a) - (logFact + Math.log(c)) + Math.log(c / (c - a));
  logs.push(lastLog);
  const max = Math.max(...logs);
  const total = logs.reduce((s, l) => s + Math.exp(l - max), 0);
  return Math.exp(lastLog - max) / total;
}

describe('Erlang C', () => {
  it('matches the closed forms of small M/M/c queues', () => {
    // M/M/2 with ρ = 0.5: P(wait) = 2ρ²/(1 + ρ) = 1/3; c = 3, A = 2 (Wolfram ErlangC's basic example): 4/9.
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
    expect(erlangC(3, 2)).toBeCloseTo(4 / 9, 12);
    expect(erlangC(1, 0.6)).toBeCloseTo(0.6, 12); // M/M/1: P(wait) = ρ
  });

  it('reproduces the Call Centre Helper worked example (100 calls per 30 min, 180 s AHT, 80 % in 20 s)', () => {
    const a = trafficErlangs(100 / 30, 180);
    expect(a).toBeCloseTo(10, 12);
    expect(erlangC(11, a)).toBeCloseTo(0.6821, 4);
    expect(averageSpeedOfAnswer(11, a, 180)).toBeCloseTo(122.8, 1);
    expect(erlangC(14, a)).toBeCloseTo(0.1741, 4);
    expect(serviceLevel(14, a, 180, 20)).toBeCloseTo(0.8884, 4);
    expect(agentsNeeded({ arrivalsPerMin: 100 / 30, ahtSec: 180, targetServiceLevel: 0.8, targetSec: 20 }).agents).toBe(14);
  });

  it('matches published Erlang B table entries', () => {
    // Erlang B tables: 10 lines carry 4.46 E at 1 % blocking; 5 lines at 2 E block 3.67 %.
    expect(erlangB(10, 4.46)).toBeCloseTo(0.01, 3);
    expect(erlangB(5, 2)).toBeCloseTo(0.0367, 4);
  });

  it('stays finite and agrees with the summed formula for large traffic', () => {
    for (const [c, a] of [[55, 48], [260, 240], [1100, 1000], [10_300, 10_000]] as const) {
      const v = erlangC(c, a);
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeCloseTo(erlangCBySum(c, a), 9);
    }
  });

  it('reports an unstable queue as always waiting, never answered in time, with unbounded speed of answer', () => {
    expect(erlangC(10, 10)).toBe(1);
    expect(serviceLevel(9, 10, 180, 20)).toBe(0);
    expect(averageSpeedOfAnswer(10, 12, 180)).toBe(Infinity);
  });

  it('finds the fewest agents for a target and respects an occupancy cap', () => {
    const r = agentsNeeded({ arrivalsPerMin: 20, ahtSec: 300, targetServiceLevel: 0.8, targetSec: 20 });
    expect(r.serviceLevel).toBeGreaterThanOrEqual(0.8);
    expect(serviceLevel(r.agents - 1, r.trafficErlangs, 300, 20)).toBeLessThan(0.8);
    const capped = agentsNeeded({ arrivalsPerMin: 20, ahtSec: 300, targetServiceLevel: 0.8, targetSec: 20, maxOccupancy: 0.8 });
    expect(capped.occupancy).toBeLessThanOrEqual(0.8);
    expect(capped.agents).toBeGreaterThanOrEqual(r.agents);
  });

  it('refuses inputs that have no answer', () => {
    expect(() => agentsNeeded({ arrivalsPerMin: 1, ahtSec: 0, targetServiceLevel: 0.8, targetSec: 20 })).toThrow(RangeError);
    expect(() => agentsNeeded({ arrivalsPerMin: 1, ahtSec: 60, targetServiceLevel: 1, targetSec: 20 })).toThrow(RangeError);
  });
});
