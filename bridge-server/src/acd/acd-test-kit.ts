import { AcdEngine, type AcdEngineOptions } from './acd-engine.js';
import type { AcdEffect } from './acd-types.js';
import type { QueueConfigInput } from './queue-config.js';

/**
 * Helpers for the ACD's unit tests: an engine on a hand-moved time, and short ways to add agents and read
 * offers. Time starts on Monday 2025-01-06 09:00 UTC.
 */
export const MONDAY_9_UTC = Date.UTC(2025, 0, 6, 9, 0, 0);

export interface TestAcd {
  readonly engine: AcdEngine;
  /** Current time, epoch ms. */
  now: number;
  /** Move time on by `sec` seconds and run what fell due. */
  advance(sec: number): AcdEffect[];
}

export function testAcd(options: Partial<AcdEngineOptions> = {}, start = MONDAY_9_UTC): TestAcd {
  let now = start;
  const engine = new AcdEngine({ now: () => now, ...options });
  engine.defineSkills(['en', 'de', 'billing', 'tech']);
  return {
    engine,
    get now() {
      return now;
    },
    set now(v: number) {
      now = v;
    },
    advance(sec: number): AcdEffect[] {
      now += sec * 1000;
      return engine.tick();
    },
  };
}

/** Add a queue (defaults: longest-idle, 20 s ring timeout, no wrap-up). */
export function queue(acd: TestAcd, id: string, extra: Partial<QueueConfigInput> = {}): void {
  acd.engine.upsertQueue({ id, name: id, ...extra });
}

/** Add an agent serving `queues` with `skills` ({ en: 5 }) and make it ready. */
export function agent(acd: TestAcd, id: string, queues: string[], skills: Record<string, number> = {}, ready = true): AcdEffect[] {
  acd.engine.upsertAgent({ id, queues, skills: Object.entries(skills).map(([skill, level]) => ({ skill, level })) });
  return ready ? acd.engine.setAgentState(id, 'available') : [];
}

/** The offers among effects, as [callId, agentIds]. */
export function offers(effects: readonly AcdEffect[]): Array<[string, readonly string[]]> {
  return effects.flatMap((e) => (e.type === 'offer' ? [[e.callId, e.agentIds] as [string, readonly string[]]] : []));
}

/** Enqueue a call and return the ids of the agents it was offered to at once (empty if it waits). */
export function call(acd: TestAcd, callId: string, queueId: string, priority = 0): readonly string[] {
  const r = acd.engine.enqueue({ callId, queueId, priority });
  return offers(r.effects).find(([c]) => c === callId)?.[1] ?? [];
}
