import type { QueueConfig } from './queue-config.js';

/**
 * Which agents may take a queue's calls, stage by stage. Stage 0 is the queue as configured; stage i applies the
 * first i escalation steps (levels relaxed by their sum, their `addQueues` members added). Relaxing only ever
 * widens the set, so an agent eligible at one stage is eligible at every later one and the answer is a single
 * number: the first stage the agent may serve.
 */
export function firstEligibleStage(
  queue: QueueConfig,
  agentSkills: ReadonlyMap<string, number>,
  agentQueues: ReadonlySet<string>,
): number {
  let member = agentQueues.has(queue.id);
  let relax = 0;
  for (let stage = 0; stage <= queue.escalation.length; stage++) {
    if (stage > 0) {
      const step = queue.escalation[stage - 1]!;
      relax += step.relaxLevels;
      member ||= step.addQueues.some((q) => agentQueues.has(q));
    }
    if (member && meetsRequirements(queue, agentSkills, relax)) return stage;
  }
  return -1;
}

/** Every required skill at its minimum level less `relax`; a requirement relaxed to 0 is no longer required. */
export function meetsRequirements(queue: QueueConfig, agentSkills: ReadonlyMap<string, number>, relax: number): boolean {
  for (const r of queue.skills) {
    const needed = r.minLevel - relax;
    if (needed > 0 && (agentSkills.get(r.skill) ?? 0) < needed) return false;
  }
  return true;
}

/** best-skill-match's score: the sum of the agent's levels in the queue's required skills. */
export function skillScore(queue: QueueConfig, agentSkills: ReadonlyMap<string, number>): number {
  let sum = 0;
  for (const r of queue.skills) sum += agentSkills.get(r.skill) ?? 0;
  return sum;
}
