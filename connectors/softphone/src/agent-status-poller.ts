/**
 * Polls the agent's ACD state (`GET /api/agent/me`) every few seconds while signed in, and on demand (right
 * after a call ends, after a state change). One request at a time; timers are injected so tests control time.
 *
 * A presence change races the poll: a poll sent before `PUT /api/agent/state` may answer after it, with the old
 * state. {@link invalidate} drops the answers of requests already under way; the controller polls again once
 * the change is done.
 */

export interface AgentStatusPollerPorts<T> {
  fetch(): Promise<T | null>;
  /** A fresh snapshot (not delivered after {@link AgentStatusPoller.stop} or for an invalidated request). */
  deliver(status: T): void;
  fail(error: unknown): void;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const POLL_INTERVAL_MS = 3000;

export class AgentStatusPoller<T> {
  #running = false;
  #timer: unknown;
  #inFlight = false;
  #again = false;
  #epoch = 0;

  constructor(
    private readonly ports: AgentStatusPollerPorts<T>,
    private readonly intervalMs = POLL_INTERVAL_MS,
  ) {}

  get running(): boolean {
    return this.#running;
  }

  /** Polls now and then every interval. Idempotent. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.pollNow();
  }

  /** Idempotent; an answer still under way is dropped. */
  stop(): void {
    this.#running = false;
    this.#epoch++;
    this.#again = false;
    this.#clearTimer();
  }

  /** Answers to requests already sent are dropped (a presence change is under way). */
  invalidate(): void {
    this.#epoch++;
  }

  /** Polls as soon as possible: now, or right after the request under way. */
  pollNow(): void {
    if (!this.#running) return;
    this.#clearTimer();
    if (this.#inFlight) {
      this.#again = true;
      return;
    }
    void this.#poll();
  }

  async #poll(): Promise<void> {
    this.#inFlight = true;
    const epoch = this.#epoch;
    const current = (): boolean => this.#running && epoch === this.#epoch;
    try {
      const status = await this.ports.fetch();
      if (current() && status !== null) this.ports.deliver(status);
    } catch (error) {
      if (current()) this.ports.fail(error);
    } finally {
      this.#inFlight = false;
      if (this.#running) {
        if (this.#again) {
          this.#again = false;
          void this.#poll();
        } else {
          this.#timer = this.ports.setTimer(() => {
            this.#timer = undefined;
            this.pollNow();
          }, this.intervalMs);
        }
      }
    }
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) this.ports.clearTimer(this.#timer);
    this.#timer = undefined;
  }
}
