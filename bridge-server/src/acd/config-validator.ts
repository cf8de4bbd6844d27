import type { FieldErrors } from './acd-errors.js';
import { minutesOf, neverOpens, WEEKDAYS } from './business-hours.js';
import {
  agentConfigSchema,
  fieldErrorsOf,
  queueConfigSchema,
  type AgentConfig,
  type AgentConfigInput,
  type QueueConfig,
  type QueueConfigInput,
} from './queue-config.js';

/**
 * The checks no single object can make: skills that do not exist, references to unknown queues, overflow loops,
 * hours that never open. The REST layer runs them before saving (a 400 naming each field, nothing half-saved);
 * the engine runs them again before applying. Field paths are relative to the object checked.
 */
export interface ValidationContext {
  /** The tenant's skill catalogue. */
  readonly skills: ReadonlySet<string>;
  /** The queues as they are (a queue being updated may be among them; the new version wins). */
  readonly queues: ReadonlyMap<string, QueueConfig>;
}

function add(errors: FieldErrors, path: string, message: string): void {
  (errors[path] ??= []).push(message);
}

/** Queues a queue hands calls to: overflow and after-hours moves (escalation does not move calls). */
function transfersOf(q: QueueConfig): Array<[field: string, target: string]> {
  const out: Array<[string, string]> = [];
  if (q.overflow?.type === 'queue') out.push(['overflow.queueId', q.overflow.queueId]);
  if (q.afterHours?.type === 'queue') out.push(['afterHours.queueId', q.afterHours.queueId]);
  return out;
}

/** A path of transfers from `from` back to `to`, or null. */
function pathBack(from: string, to: string, queues: ReadonlyMap<string, QueueConfig>, seen = new Set<string>()): string[] | null {
  if (from === to) return [to];
  if (seen.has(from)) return null;
  seen.add(from);
  const q = queues.get(from);
  if (!q) return null;
  for (const [, next] of transfersOf(q)) {
    const rest = pathBack(next, to, queues, seen);
    if (rest) return [from, ...rest];
  }
  return null;
}

export function validateQueue(queue: QueueConfig, ctx: ValidationContext): FieldErrors {
  const errors: FieldErrors = {};
  const queues = new Map(ctx.queues).set(queue.id, queue);
  const seenSkills = new Set<string>();
  queue.skills.forEach((r, i) => {
    if (!ctx.skills.has(r.skill)) add(errors, `skills.${i}.skill`, `unknown skill "${r.skill}"`);
    if (seenSkills.has(r.skill)) add(errors, `skills.${i}.skill`, `skill "${r.skill}" is listed twice`);
    seenSkills.add(r.skill);
  });
  for (const [field, target] of transfersOf(queue)) {
    if (target === queue.id) add(errors, field, 'a queue cannot overflow to itself');
    else if (!queues.has(target)) add(errors, field, `unknown queue "${target}"`);
    else {
      const loop = pathBack(target, queue.id, queues);
      if (loop) add(errors, field, `overflow loop: ${[queue.id, ...loop].join(' → ')}`);
    }
  }
  if ((queue.maxQueueSize !== null || queue.maxWaitSec !== null) && !queue.overflow) {
    add(errors, 'overflow', 'required when maxQueueSize or maxWaitSec is set');
  }
  queue.escalation.forEach((step, i) => {
    const prev = queue.escalation[i - 1];
    if (prev && step.afterSec <= prev.afterSec) add(errors, `escalation.${i}.afterSec`, 'steps must come later than the step before');
    if (step.relaxLevels === 0 && step.addQueues.length === 0) add(errors, `escalation.${i}`, 'a step must relax levels or add queues');
    step.addQueues.forEach((q, j) => {
      if (q === queue.id) add(errors, `escalation.${i}.addQueues.${j}`, 'the queue itself is already eligible');
      else if (!queues.has(q)) add(errors, `escalation.${i}.addQueues.${j}`, `unknown queue "${q}"`);
    });
  });
  const hours = queue.businessHours;
  if (hours) {
    if (neverOpens(hours)) add(errors, 'businessHours.weekly', 'the hours never open');
    for (const day of WEEKDAYS) {
      const ranges = [...(hours.weekly[day] ?? [])].sort((a, b) => minutesOf(a.from) - minutesOf(b.from));
      for (let i = 1; i < ranges.length; i++) {
        if (minutesOf(ranges[i]!.from) < minutesOf(ranges[i - 1]!.to)) add(errors, `businessHours.weekly.${day}`, 'ranges overlap');
      }
    }
    if (!queue.afterHours) add(errors, 'afterHours', 'required when businessHours are set');
  }
  return errors;
}

export function validateAgent(agent: AgentConfig, ctx: ValidationContext): FieldErrors {
  const errors: FieldErrors = {};
  const seen = new Set<string>();
  agent.skills.forEach((s, i) => {
    if (!ctx.skills.has(s.skill)) add(errors, `skills.${i}.skill`, `unknown skill "${s.skill}"`);
    if (seen.has(s.skill)) add(errors, `skills.${i}.skill`, `skill "${s.skill}" is listed twice`);
    seen.add(s.skill);
  });
  agent.queues.forEach((q, i) => {
    if (!ctx.queues.has(q)) add(errors, `queues.${i}`, `unknown queue "${q}"`);
  });
  return errors;
}

/** Fields of other queues that refer to `queueId` (a queue still referred to cannot be removed). */
export function referencesTo(queueId: string, queues: Iterable<QueueConfig>): string[] {
  const out: string[] = [];
  for (const q of queues) {
    if (q.id === queueId) continue;
    for (const [field, target] of transfersOf(q)) if (target === queueId) out.push(`${q.id}.${field}`);
    q.escalation.forEach((s, i) => s.addQueues.includes(queueId) && out.push(`${q.id}.escalation.${i}.addQueues`));
  }
  return out;
}

export interface AcdConfigInput {
  readonly skills: readonly string[];
  readonly queues: readonly QueueConfigInput[];
  readonly agents: readonly AgentConfigInput[];
}

export interface AcdConfig {
  readonly skills: readonly string[];
  readonly queues: readonly QueueConfig[];
  readonly agents: readonly AgentConfig[];
}

/** Parse and check a whole configuration at once; paths are `queues.<i>.…` and `agents.<i>.…`. */
export function validateAcdConfig(input: AcdConfigInput): { ok: true; config: AcdConfig } | { ok: false; fieldErrors: FieldErrors } {
  const errors: FieldErrors = {};
  const queues: QueueConfig[] = [];
  const agents: AgentConfig[] = [];
  input.queues.forEach((raw, i) => {
    const r = queueConfigSchema.safeParse(raw);
    if (r.success) queues.push(r.data);
    else Object.assign(errors, fieldErrorsOf(r.error, `queues.${i}.`));
  });
  input.agents.forEach((raw, i) => {
    const r = agentConfigSchema.safeParse(raw);
    if (r.success) agents.push(r.data);
    else Object.assign(errors, fieldErrorsOf(r.error, `agents.${i}.`));
  });
  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  const ctx: ValidationContext = { skills: new Set(input.skills), queues: new Map(queues.map((q) => [q.id, q])) };
  const prefixed = (prefix: string, e: FieldErrors) => {
    for (const [k, v] of Object.entries(e)) errors[prefix + k] = v;
  };
  queues.forEach((q, i) => {
    if (queues.findIndex((o) => o.id === q.id) !== i) add(errors, `queues.${i}.id`, `duplicate queue id "${q.id}"`);
    prefixed(`queues.${i}.`, validateQueue(q, ctx));
  });
  agents.forEach((a, i) => {
    if (agents.findIndex((o) => o.id === a.id) !== i) add(errors, `agents.${i}.id`, `duplicate agent id "${a.id}"`);
    prefixed(`agents.${i}.`, validateAgent(a, ctx));
  });
  return Object.keys(errors).length > 0 ? { ok: false, fieldErrors: errors } : { ok: true, config: { skills: [...input.skills], queues, agents } };
}
