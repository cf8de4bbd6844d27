/**
 * ACD routing decisions at scale, against a naive linear-scan router measured in the same run.
 *
 * Set-up: 200 queues with mixed skill requirements (1–2 of 40 skills, minimum levels 1–6), five strategies,
 * caller and queue priorities, and escalation on every third queue (levels relax by 2 after 30 s, a neighbour
 * queue's agents join after 90 s); agents serve 3–6 queues with random levels. All agents are busy and
 * `waiting` calls are in line. One decision: an agent in wrap-up says ready and the engine picks the call it
 * takes next (`setAgentState(id, 'available')` → end of wrap-up → `agentFree` → offer → agent reserved); that
 * command is what is timed. Around it, untimed: the agent's previous call ends (`ended()`), the offer is
 * answered, and a new call arrives so the line stays full; due work (escalations) runs in `tick()`.
 * `full-cycle` is the whole loop per second — tick, a call ending, the decision, the answer, a new arrival —
 * i.e. calls the engine can carry end to end on one core.
 *
 * The anchor decides the same thing the obvious way: scan every waiting call, check the agent's eligibility
 * for it (membership, escalation stage, relaxed levels) and keep the first in line. Both must pick the same
 * call; the bench checks that on every anchor decision before printing anything.
 */
import { AcdEngine } from '../src/acd/acd-engine.js';
import type { AcdEffect } from '../src/acd/acd-types.js';
import type { QueueConfigInput } from '../src/acd/queue-config.js';
import { callKey, ROUTING_STRATEGIES } from '../src/acd/routing-strategy.js';
import { Prng } from '../sim/prng.js';

const QUEUES = 200;
const SKILLS = 40;
const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);

interface Waiting {
  readonly id: string;
  readonly queue: number;
  readonly key: number;
  readonly seq: number;
  readonly enqueuedAt: number;
}

interface AgentDef {
  readonly id: string;
  readonly queues: ReadonlySet<string>;
  readonly skills: ReadonlyMap<string, number>;
}

function buildQueues(rng: Prng): QueueConfigInput[] {
  const strategies = ROUTING_STRATEGIES.filter((s) => s !== 'ring-all');
  return Array.from({ length: QUEUES }, (_, i) => {
    const n = 1 + rng.int(2);
    const skills = Array.from(new Set(Array.from({ length: n }, () => `s${rng.int(SKILLS)}`))).map((skill) => ({
      skill,
      minLevel: 1 + rng.int(6),
    }));
    return {
      id: `q${i}`, name: `Queue ${i}`, priority: rng.int(3), skills, strategy: strategies[i % strategies.length]!, wrapUpSec: 600,
      escalation: i % 3 === 0 ? [{ afterSec: 30, relaxLevels: 2 }, { afterSec: 90, addQueues: [`q${(i + 1) % QUEUES}`] }] : [],
    };
  });
}

function buildAgents(rng: Prng, count: number, queues: QueueConfigInput[]): AgentDef[] {
  return Array.from({ length: count }, (_, i) => {
    const served = new Set<string>();
    const n = 3 + rng.int(4);
    while (served.size < n) served.add(`q${rng.int(QUEUES)}`);
    const skills = new Map<string, number>();
    for (const q of served) for (const r of queues[Number(q.slice(1))]!.skills ?? []) skills.set(r.skill, 1 + rng.int(10));
    for (let k = 0; k < 2; k++) skills.set(`s${rng.int(SKILLS)}`, 1 + rng.int(10));
    return { id: `a${i}`, queues: served, skills };
  });
}

/** The anchor: one pass over every waiting call. */
function linearPick(agent: AgentDef, waiting: Iterable<Waiting>, queues: QueueConfigInput[], now: number): Waiting | null {
  let best: Waiting | null = null;
  for (const w of waiting) {
    const q = queues[w.queue]!;
    const steps = q.escalation ?? [];
    let member = agent.queues.has(q.id);
    let relax = 0;
    for (const s of steps) {
      if (s.afterSec * 1000 > now - w.enqueuedAt) break;
      relax += s.relaxLevels ?? 0;
      member ||= (s.addQueues ?? []).some((x) => agent.queues.has(x));
    }
    if (!member) continue;
    if (!(q.skills ?? []).every((r) => r.minLevel - relax <= 0 || (agent.skills.get(r.skill) ?? 0) >= r.minLevel - relax)) continue;
    if (!best || w.key < best.key || (w.key === best.key && w.seq < best.seq)) best = w;
  }
  return best;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function run(agentCount: number, waitingTarget: number): Promise<{ p50: number; rate: number }> {
  const rng = new Prng(42);
  let now = T0;
  const engine = new AcdEngine({ now: () => now });
  const queues = buildQueues(rng);
  const agents = buildAgents(rng, agentCount, queues);
  engine.load({
    skills: Array.from({ length: SKILLS }, (_, i) => `s${i}`),
    queues,
    agents: agents.map((a) => ({ id: a.id, queues: [...a.queues], skills: [...a.skills].map(([skill, level]) => ({ skill, level })) })),
  });

  const waiting = new Map<string, Waiting>();
  const onCall: string[] = []; // agent ids on a call
  const callOf = new Map<string, string>(); // agent id → call id
  let seq = 0;
  let nextCall = 0;
  const apply = (effects: readonly AcdEffect[]): number => {
    let offers = 0;
    for (const e of effects) {
      if (e.type !== 'offer') continue;
      offers++;
      waiting.delete(e.callId);
      const agentId = e.agentIds[0]!;
      engine.answered(e.callId, agentId);
      onCall.push(agentId);
      callOf.set(agentId, e.callId);
    }
    return offers;
  };
  const arrive = (): void => {
    const queue = rng.int(QUEUES);
    const priority = rng.next() < 0.1 ? 1 + rng.int(3) : 0;
    const id = `c${nextCall++}`;
    const r = engine.enqueue({ callId: id, queueId: `q${queue}`, priority });
    seq++;
    if (r.outcome === 'queued' && r.position > 0) {
      waiting.set(id, { id, queue, seq, enqueuedAt: now, key: callKey(now, queues[queue]!.priority ?? 0, priority, 60) });
    }
    apply(r.effects);
  };

  for (const a of agents) apply(engine.setAgentState(a.id, 'available'));
  while (waiting.size < waitingTarget) {
    now += 0.05;
    arrive();
  }
  engine.tick();

  /** Advance time, run due work, and end a random agent's call: the agent is in wrap-up now. */
  const pickBusy = (): string => {
    now += 1;
    apply(engine.tick());
    const k = rng.int(onCall.length);
    const agentId = onCall[k]!;
    onCall[k] = onCall[onCall.length - 1]!;
    onCall.pop();
    const callId = callOf.get(agentId)!;
    callOf.delete(agentId);
    apply(engine.ended(callId));
    return agentId;
  };

  const step = (latencies: Float64Array | null, i: number): number => {
    const agentId = pickBusy();
    const t = process.hrtime.bigint();
    const effects = engine.setAgentState(agentId, 'available');
    if (latencies) latencies[i] = Number(process.hrtime.bigint() - t) / 1000;
    const offers = apply(effects);
    arrive();
    return offers;
  };

  // Anchor phase: every decision checked against the linear scan, which is timed.
  const anchorN = agentCount >= 10_000 ? 150 : 600;
  let anchorUs = 0;
  let anchorDecisions = 0;
  for (let i = 0; i < anchorN; i++) {
    const agentId = pickBusy();
    const agent = agents[Number(agentId.slice(1))]!;
    const t = process.hrtime.bigint();
    const expected = linearPick(agent, waiting.values(), queues, now);
    anchorUs += Number(process.hrtime.bigint() - t) / 1000;
    if (expected) anchorDecisions++;
    const effects = engine.setAgentState(agentId, 'available');
    const offer = effects.find((e) => e.type === 'offer');
    if ((offer?.callId ?? null) !== (expected?.id ?? null)) {
      throw new Error(`acd-route: engine chose ${offer?.callId ?? 'nothing'}, linear scan ${expected?.id ?? 'nothing'}`);
    }
    apply(effects);
    arrive();
  }

  // Our phase: warm up, then time every decision.
  for (let i = 0; i < 5_000; i++) step(null, 0);
  const n = agentCount >= 10_000 ? 100_000 : 50_000;
  const latencies = new Float64Array(n);
  let decisions = 0;
  const loopStart = process.hrtime.bigint();
  for (let i = 0; i < n; i++) decisions += step(latencies, i);
  const loopUs = Number(process.hrtime.bigint() - loopStart) / 1000;
  const totalUs = latencies.reduce((s, v) => s + v, 0);
  const sorted = latencies.slice().sort();
  const rate = (decisions / totalUs) * 1e6;
  const linearRate = (anchorDecisions / anchorUs) * 1e6;
  console.log(
    `bench acd-route: decisions=${Math.round(rate)}/s p50=${percentile(sorted, 0.5).toFixed(1)}us ` +
      `p99=${percentile(sorted, 0.99).toFixed(1)}us agents=${agentCount} waiting=${waiting.size} ` +
      `linear-scan=${Math.round(linearRate)}/s ratio-vs-linear=${(rate / linearRate).toFixed(1)} ` +
      `full-cycle=${Math.round((n / loopUs) * 1e6)}/s`,
  );
  return { p50: percentile(sorted, 0.5), rate };
}

export default async function (): Promise<void> {
  const small = await run(1_000, 10_000);
  const large = await run(10_000, 100_000);
  console.log(
    `bench acd-route growth: 10x agents and calls -> p50 x${(large.p50 / small.p50).toFixed(2)} ` +
      `decisions/s x${(large.rate / small.rate).toFixed(2)} (linear scan would be x10)`,
  );
}
