/** Timers a test fires by hand (`fireAll`), so timeouts are tested without waiting or asserting on time. */
import type { Timers } from '../zaf-call.js';

export class ManualTimers implements Timers {
  readonly #pending = new Map<number, { callback: () => void; ms: number }>();
  #next = 1;

  set(callback: () => void, ms: number): unknown {
    const handle = this.#next++;
    this.#pending.set(handle, { callback, ms });
    return handle;
  }

  clear(handle: unknown): void {
    this.#pending.delete(handle as number);
  }

  get pending(): number {
    return this.#pending.size;
  }

  /** Delays of the timers still pending. */
  delays(): number[] {
    return [...this.#pending.values()].map((t) => t.ms);
  }

  fireAll(): void {
    const due = [...this.#pending.values()];
    this.#pending.clear();
    for (const timer of due) timer.callback();
  }
}
