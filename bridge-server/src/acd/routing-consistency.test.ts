import { describe, expect, it } from 'vitest';
import { testAcd, type TestAcd } from './acd-test-kit.js';
import type { AcdEffect } from './acd-types.js';
import type { QueueConfigInput } from './queue-config.js';
import { ROUTING_STRATEGIES } from './routing-strategy.js';

/** A small deterministic PRNG for the scenario. */
function lcg(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.floor((s / 4_294_967_296) * n);
  };
}

interface AgentDef {
  readonly id: string;
  readonly queues: readonly string[];
  readonly skills: Readonly<Record<string, number>>;
}

const SKILLS = ['en', 'de', 'billing', 'tech'];

/** Whether `agent` may take a call of `q` that has waited `waitedMs` — written out plainly, as a reference. */
function eligible(agent: AgentDef, q: QueueConfigInput, waitedMs: number): boolean {
  let member = agent.queues.includes(q.id);
  let relax = 0;
  for (const step of q.escalation ?? []) {
    if (step.afterSec * 1000 > waitedMs) break;
    relax += step.relaxLevels ?? 0;
    member ||= (step.addQueues ?? []).some((x) => agent.queues.includes(x));
  }
  return member && (q.skills ?? []).every((r) => r.minLevel - relax <= 0 || (agent.skills[r.skill] ?? 0) >= r.minLevel - relax);
}

describe('routing indexes under random operations', () => {
  it.each([1, 2, 3, 4])('never leave a free eligible agent beside a waiting call, and give a freed agent the first eligible call in line (seed %i)', (seed) => {
    const rnd = lcg(seed);
    const acd: TestAcd = testAcd({ secondsPerPriorityLevel: 30 });
    const strategies = ROUTING_STRATEGIES.filter((s) => s !== 'ring-all');
    const queues: QueueConfigInput[] = ['q0', 'q1', 'q2', 'q3'].map((id, i) => ({
      id, name: id, priority: rnd(3), strategy: strategies[rnd(strategies.length)]!, wrapUpSec: rnd(2) * 5,
      skills: [{ skill: SKILLS[rnd(4)]!, minLevel: 2 + rnd(6) }],
      escalation: i % 2 === 0 ? [{ afterSec: 20, relaxLevels: 2 }, { afterSec: 45, addQueues: [`q${(i + 1) % 4}`] }] : [],
    }));
    for (const q of [...queues].reverse()) acd.engine.upsertQueue(q);
    const agents: AgentDef[] = Array.from({ length: 10 }, (_, i) => ({
      id: `a${i}`,
      queues: [...new Set([`q${rnd(4)}`, `q${rnd(4)}`])],
      skills: Object.fromEntries(SKILLS.map((s) => [s, 1 + rnd(10)])),
    }));
    for (const a of agents) {
      acd.engine.upsertAgent({ id: a.id, queues: [...a.queues], skills: Object.entries(a.skills).map(([skill, level]) => ({ skill, level })) });
    }
    const arrived = new Map<string, { at: number; queue: QueueConfigInput; priority: number }>();
    const connected = new Map<string, string>();
    const keyOf = (callId: string) => {
      const c = arrived.get(callId)!;
      return c.at - ((c.queue.priority ?? 0) + c.priority) * 30_000;
    };
    /** Answer every offer at once, so no agent ever misses (misses are tested elsewhere). */
    const settle = (effects: AcdEffect[]): Array<[string, string]> => {
      const taken: Array<[string, string]> = [];
      for (const e of effects) {
        if (e.type !== 'offer') continue;
        taken.push([e.callId, e.agentIds[0]!]);
        connected.set(e.callId, e.agentIds[0]!);
        settle(acd.engine.answered(e.callId, e.agentIds[0]!));
      }
      return taken;
    };
    const waiting = () => queues.flatMap((q) => acd.engine.waitingCalls(q.id));
    /** The call a freed agent should take: first in line among those it may serve. */
    const expectedFor = (agent: AgentDef): string | null => {
      let best: string | null = null;
      for (const w of waiting()) {
        if (!eligible(agent, arrived.get(w.callId)!.queue, w.waitedSec * 1000)) continue;
        const [k, b] = [keyOf(w.callId), best === null ? Infinity : keyOf(best)];
        // Same place in line: the earlier arrival (ids are numbered in arrival order).
        if (best === null || k < b || (k === b && Number(w.callId.slice(1)) < Number(best.slice(1)))) best = w.callId;
      }
      return best;
    };

    let n = 0;
    for (let step = 0; step < 1500; step++) {
      const op = rnd(10);
      if (op < 4) {
        const q = queues[rnd(4)]!;
        const id = `c${n++}`;
        arrived.set(id, { at: acd.now, queue: q, priority: rnd(3) });
        settle(acd.engine.enqueue({ callId: id, queueId: q.id, priority: arrived.get(id)!.priority }).effects);
      } else if (op < 6 && connected.size > 0) {
        const [callId, agentId] = [...connected][rnd(connected.size)]!;
        connected.delete(callId);
        const agent = agents.find((a) => a.id === agentId)!;
        const wrap = (arrived.get(callId)!.queue.wrapUpSec ?? 0) > 0;
        const goesAway = acd.engine.agent(agentId)!.pending !== null; // asked for away/offline during the call
        const expected = wrap || goesAway ? null : expectedFor(agent);
        const taken = settle(acd.engine.ended(callId));
        if (!wrap) expect(taken.find(([, a]) => a === agentId)?.[0] ?? null).toBe(expected);
      } else if (op < 7) {
        const agent = agents[rnd(agents.length)]!;
        const state = acd.engine.agent(agent.id)!.state;
        if (state === 'away' || state === 'offline') {
          const expected = expectedFor(agent);
          const taken = settle(acd.engine.setAgentState(agent.id, 'available'));
          expect(taken.find(([, a]) => a === agent.id)?.[0] ?? null).toBe(expected);
        } else {
          settle(acd.engine.setAgentState(agent.id, rnd(2) ? 'away' : 'offline', 'break'));
        }
      } else if (op < 8) {
        const line = waiting();
        if (line.length > 0) acd.engine.ended(line[rnd(line.length)]!.callId);
      } else {
        settle(acd.advance(rnd(15)));
      }
      // The invariant: no waiting call has a free agent that may take it.
      const free = agents.filter((a) => acd.engine.agent(a.id)!.state === 'available');
      for (const w of waiting()) {
        const q = arrived.get(w.callId)!.queue;
        for (const a of free) expect(eligible(a, q, w.waitedSec * 1000), `${a.id} free for ${w.callId}`).toBe(false);
      }
    }
  });
});
