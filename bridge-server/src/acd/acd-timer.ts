import type { Clock, TimerHandle } from '../clock.js';
import type { AcdEngine } from './acd-engine.js';
import type { AcdEffect } from './acd-types.js';

/**
 * Binds an {@link AcdEngine} to a Clock for a live owner (the bridge): one timer, always set for the engine's
 * next due time; when it fires the engine ticks and the effects go to `onEffects`. Call {@link AcdTimer.arm}
 * after every command, since a command may add or consume due work. The engine itself stays free of timers,
 * which is what lets the simulation and the tests drive it with plain numbers.
 */
export class AcdTimer {
  readonly #engine: AcdEngine;
  readonly #clock: Clock;
  readonly #onEffects: (effects: AcdEffect[]) => void;
  #timer: TimerHandle | null = null;
  #at: number | null = null;
  #closed = false;

  constructor(engine: AcdEngine, clock: Clock, onEffects: (effects: AcdEffect[]) => void) {
    this.#engine = engine;
    this.#clock = clock;
    this.#onEffects = onEffects;
  }

  /** Set the timer for the engine's next due time (a no-op when it is already set for that time). */
  arm(): void {
    if (this.#closed) return;
    const at = this.#engine.nextDueAt();
    if (at === this.#at) return;
    this.#timer?.cancel();
    this.#timer = null;
    this.#at = at;
    if (at === null) return;
    this.#timer = this.#clock.setTimeout(() => this.#fire(), Math.max(0, at - this.#clock.now()));
  }

  #fire(): void {
    this.#timer = null;
    this.#at = null;
    if (this.#closed) return;
    const effects = this.#engine.tick();
    this.arm();
    if (effects.length > 0) this.#onEffects(effects);
  }

  /** Idempotent; the engine is left as it is. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#timer?.cancel();
    this.#timer = null;
  }
}
