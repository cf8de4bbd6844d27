import type { AcdCore } from './acd-core.js';
import { AcdError } from './acd-errors.js';
import type { QueueRuntime } from './acd-records.js';
import type { CallLine } from './call-line.js';
import { referencesTo, validateAcdConfig, validateAgent, validateQueue, type AcdConfig, type AcdConfigInput, type ValidationContext } from './config-validator.js';
import { agentConfigSchema, parseOrThrow, queueConfigSchema, type AgentConfig, type AgentConfigInput, type QueueConfig, type QueueConfigInput } from './queue-config.js';

/**
 * Configuration changes, in two halves: `check…` parses and validates completely and throws
 * {@link AcdError.invalid} naming every bad field; `apply…` installs what was checked. The engine runs due work
 * in between, so a refused change leaves everything as it was.
 */
export class AcdSetup {
  readonly #core: AcdCore;
  readonly #line: CallLine;
  readonly #skills = new Set<string>();

  constructor(core: AcdCore, line: CallLine) {
    this.#core = core;
    this.#line = line;
  }

  defineSkills(skills: readonly string[]): void {
    for (const s of skills) this.#skills.add(s);
  }

  #ctx(): ValidationContext {
    return { skills: this.#skills, queues: new Map([...this.#core.queues].map(([id, q]) => [id, q.config])) };
  }

  checkQueue(input: QueueConfigInput): QueueConfig {
    const config = parseOrThrow(queueConfigSchema, input);
    const errors = validateQueue(config, this.#ctx());
    if (Object.keys(errors).length > 0) throw AcdError.invalid(errors);
    return config;
  }

  applyQueue(config: QueueConfig): void {
    for (const call of this.#core.installQueue(config)) this.#line.armTimers(call);
  }

  /** A queue no other queue refers to and no call is in. */
  checkRemoveQueue(rt: QueueRuntime): void {
    const id = rt.config.id;
    const refs = referencesTo(id, [...this.#core.queues.values()].map((q) => q.config));
    if (refs.length > 0) throw AcdError.conflict(`queue ${id} is referred to by ${refs.join(', ')}`);
    for (const call of this.#core.calls.values()) if (call.queue === rt) throw AcdError.conflict(`queue ${id} has calls`);
  }

  checkAgent(input: AgentConfigInput): AgentConfig {
    const config = parseOrThrow(agentConfigSchema, input);
    const errors = validateAgent(config, this.#ctx());
    if (Object.keys(errors).length > 0) throw AcdError.invalid(errors);
    return config;
  }

  applyAgent(config: AgentConfig): void {
    const agent = this.#core.agents.get(config.id);
    if (agent) this.#core.setAgentConfig(agent, config);
    else this.#core.createAgent(config);
  }

  checkAll(input: AcdConfigInput): AcdConfig {
    const r = validateAcdConfig(input);
    if (!r.ok) throw AcdError.invalid(r.fieldErrors);
    return r.config;
  }

  /** Skills, then queues (references between them were checked as a set), then agents. */
  applyAll(config: AcdConfig): void {
    this.defineSkills(config.skills);
    for (const q of config.queues) this.applyQueue(q);
    for (const a of config.agents) this.applyAgent(a);
  }
}
