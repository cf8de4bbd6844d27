/**
 * Erlang C: the M/M/c queue (Poisson arrivals, exponential handle times, c agents, callers wait and never give
 * up), the workforce-management staple for "how many agents for 80 % in 20 s". Traffic `A = λ · AHT` in
 * erlangs.
 *
 * Numerically stable for large traffic: no factorials or powers. Erlang B comes from the recurrence
 * `B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1))`, whose terms stay in [0, 1], and Erlang C from it as
 * `C = c·B / (c − A·(1 − B))`. The direct formula overflows doubles from about A = 170.
 */

/** Offered traffic in erlangs from arrivals per minute and average handle time in seconds. */
export function trafficErlangs(arrivalsPerMin: number, ahtSec: number): number {
  return (arrivalsPerMin / 60) * ahtSec;
}

/** Erlang B: probability that all `agents` are busy when calls that find no agent are lost. */
export function erlangB(agents: number, traffic: number): number {
  let b = 1;
  for (let k = 1; k <= agents; k++) b = (traffic * b) / (k + traffic * b);
  return b;
}

function cFromB(agents: number, traffic: number, b: number): number {
  if (agents <= traffic) return 1;
  return (agents * b) / (agents - traffic * (1 - b));
}

/** Erlang C: probability that a caller has to wait (all agents busy); 1 when the queue is unstable (c ≤ A). */
export function erlangC(agents: number, traffic: number): number {
  return cFromB(agents, traffic, erlangB(agents, traffic));
}

/** Share of callers answered within `targetSec`: `1 − C · e^{−(c − A)·t/AHT}`. */
export function serviceLevel(agents: number, traffic: number, ahtSec: number, targetSec: number): number {
  if (agents <= traffic) return 0;
  return 1 - erlangC(agents, traffic) * Math.exp((-(agents - traffic) * targetSec) / ahtSec);
}

/** Average speed of answer over all callers, seconds: `C · AHT / (c − A)`; Infinity when unstable. */
export function averageSpeedOfAnswer(agents: number, traffic: number, ahtSec: number): number {
  if (agents <= traffic) return Infinity;
  return (erlangC(agents, traffic) * ahtSec) / (agents - traffic);
}

export interface StaffingInput {
  readonly arrivalsPerMin: number;
  readonly ahtSec: number;
  /** Service-level target as a share, 0–1 (0.8 for 80 %). */
  readonly targetServiceLevel: number;
  /** …answered within this many seconds. */
  readonly targetSec: number;
  /** Optional cap on occupancy (A / c), e.g. 0.85, to keep agents from burning out. */
  readonly maxOccupancy?: number;
}

export interface StaffingResult {
  readonly agents: number;
  readonly trafficErlangs: number;
  readonly pWait: number;
  readonly serviceLevel: number;
  readonly asaSec: number;
  readonly occupancy: number;
}

/**
 * The fewest agents that meet the service-level target (and the occupancy cap, if any). Walks c upward from
 * ⌊A⌋ + 1 extending the Erlang B recurrence by one step per agent, so the whole search is O(c).
 */
export function agentsNeeded(input: StaffingInput): StaffingResult {
  const { arrivalsPerMin, ahtSec, targetServiceLevel, targetSec } = input;
  if (!(arrivalsPerMin >= 0) || !(ahtSec > 0) || !(targetSec >= 0) || !(targetServiceLevel >= 0 && targetServiceLevel < 1)) {
    throw new RangeError('arrivalsPerMin ≥ 0, ahtSec > 0, targetSec ≥ 0 and 0 ≤ targetServiceLevel < 1 are required');
  }
  const a = trafficErlangs(arrivalsPerMin, ahtSec);
  const maxOcc = input.maxOccupancy ?? 1;
  let c = Math.max(1, Math.floor(a) + 1);
  let b = erlangB(c, a);
  for (;;) {
    const pWait = cFromB(c, a, b);
    const sl = 1 - pWait * Math.exp((-(c - a) * targetSec) / ahtSec);
    if (sl >= targetServiceLevel && a / c <= maxOcc) {
      return { agents: c, trafficErlangs: a, pWait, serviceLevel: sl, asaSec: (pWait * ahtSec) / (c - a), occupancy: a / c };
    }
    c++;
    b = (a * b) / (c + a * b);
  }
}
