/**
 * Exponential backoff with full jitter: the n-th retry waits a uniformly random time in
 * [0, min(cap, base·factorⁿ⁻¹)) — AWS Architecture Blog, "Exponential Backoff And Jitter" (2015): of the variants
 * measured it spreads retries of many failed jobs best, so a CRM that comes back is not hit by all of them at once.
 * A `Retry-After` from the CRM is a floor, never shortened by jitter.
 */
export interface BackoffPolicy {
  /** Ceiling of the first retry's delay. */
  baseMs: number;
  factor: number;
  /** No retry waits longer than this (unless the CRM asked for longer). */
  capMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 5_000, factor: 2, capMs: 15 * 60_000 };

/** Delay before retry number `attempt` (1 = the first retry after the first failure). Never below 1 ms. */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number, minimumMs = 0): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * policy.factor ** Math.max(0, attempt - 1));
  return Math.max(1, minimumMs, Math.floor(random() * ceiling));
}

/** A deterministic random source in [0, 1) for tests (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
