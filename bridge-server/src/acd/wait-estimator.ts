/**
 * Recent handle times of one queue (talk plus wrap-up: the time an agent is held by a call), a fixed window of
 * the last `size` calls so the estimate follows the day's mix rather than history.
 */
export class HandleTimeWindow {
  readonly #values: number[] = [];
  readonly #size: number;
  #next = 0;
  #sum = 0;

  constructor(size: number) {
    this.#size = size;
  }

  add(sec: number): void {
    if (this.#values.length < this.#size) {
      this.#values.push(sec);
    } else {
      this.#sum -= this.#values[this.#next]!;
      this.#values[this.#next] = sec;
      this.#next = (this.#next + 1) % this.#size;
    }
    this.#sum += sec;
  }

  /** Mean of the window; `fallbackSec` (the queue's expectation) until the first call has been handled. */
  meanSec(fallbackSec: number): number {
    return this.#values.length === 0 ? fallbackSec : this.#sum / this.#values.length;
  }

  get count(): number {
    return this.#values.length;
  }
}

/**
 * Estimated wait, in seconds, of the caller at `position` (1 = next): the callers ahead that free agents cannot
 * take at once, each needing one agent to come free. With `staffed` agents busy on calls of mean handle time
 * `ahtSec`, one comes free every `ahtSec / staffed` seconds on average (the minimum of exponential residual
 * times), so `(position − free) × aht / staffed`. Null when nobody is staffed: the wait has no bound.
 */
export function estimateWaitSec(position: number, free: number, staffed: number, ahtSec: number): number | null {
  if (position <= free) return 0;
  if (staffed <= 0) return null;
  return ((position - free) * ahtSec) / staffed;
}
