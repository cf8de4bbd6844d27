/**
 * How a queue chooses among several free agents (after FreeSWITCH mod_callcenter's strategies), and how waiting
 * callers are ordered. Both are expressed as static sort keys so the routing indexes can be heaps: a key never
 * changes while an agent is free or a caller waits, which is what keeps every decision O(log n).
 */
export const ROUTING_STRATEGIES = [
  'longest-idle',
  'round-robin',
  'fewest-calls-today',
  'least-talk-time',
  'best-skill-match',
  'ring-all',
] as const;
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

/** What the strategies look at, for one free agent and one queue. */
export interface RankInput {
  /** When the agent last became free. */
  readonly idleSince: number;
  readonly callsToday: number;
  readonly talkMsToday: number;
  /** Sum of the agent's levels in the queue's required skills. */
  readonly skillScore: number;
  /** The queue's offer counter when this queue last offered the agent a call; 0 = never. */
  readonly lastOfferSeq: number;
}

/**
 * The (primary, secondary) rank of a free agent for a queue's strategy; the smallest goes first and the agent's
 * stable ordinal breaks the remaining ties, so routing is deterministic.
 * - longest-idle: earliest `idleSince`;
 * - round-robin: least recently offered a call by this queue (a rotation that survives agents coming and going);
 * - fewest-calls-today / least-talk-time: the daily counter, then idle time;
 * - best-skill-match: highest skill score, then idle time;
 * - ring-all: every free agent rings; the rank only orders them when `ringAllMax` caps the list.
 */
export function agentRank(strategy: RoutingStrategy, a: RankInput): [number, number] {
  switch (strategy) {
    case 'round-robin':
      return [a.lastOfferSeq, 0];
    case 'fewest-calls-today':
      return [a.callsToday, a.idleSince];
    case 'least-talk-time':
      return [a.talkMsToday, a.idleSince];
    case 'best-skill-match':
      return [-a.skillScore, a.idleSince];
    case 'longest-idle':
    case 'ring-all':
      return [a.idleSince, 0];
  }
}

/**
 * A waiting caller's place in line: a virtual arrival time, `arrivedAt` minus a head start of
 * `secondsPerLevel` per level of queue and caller priority. Smaller is served first.
 *
 * This is priority with aging, as FreeSWITCH's caller score (base score + seconds waited): a priority caller
 * overtakes only those who arrived less than its head start before it, so a waiting caller is overtaken by a
 * bounded number of later callers and nobody starves — and the key is fixed at arrival, so no re-sorting.
 */
export function callKey(arrivedAt: number, queuePriority: number, callerPriority: number, secondsPerLevel: number): number {
  return arrivedAt - (queuePriority + callerPriority) * secondsPerLevel * 1000;
}
