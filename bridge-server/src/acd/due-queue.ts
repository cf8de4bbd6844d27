import { MinHeap } from './min-heap.js';

/**
 * The engine's timers as data: everything that becomes due at a time (ring timeouts, escalation steps, max
 * wait, end of wrap-up, callbacks) is an entry here, ordered by time then insertion. The engine never sets a
 * timer of its own; its owner asks {@link DueQueue.nextAt} and calls back at that time. Cancelling is lazy: a
 * handler checks whether its entry still applies, so nothing is searched.
 */
export class DueQueue<T> {
  #seq = 0;
  readonly #heap = new MinHeap<{ at: number; seq: number; item: T }>(
    (a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq),
  );

  push(at: number, item: T): void {
    this.#heap.push({ at, seq: ++this.#seq, item });
  }

  /** When the earliest entry is due; null when nothing is pending. */
  nextAt(): number | null {
    return this.#heap.peek()?.at ?? null;
  }

  /** Remove and return the earliest entry, with its due time, if it is due at `now`. */
  popDue(now: number): { at: number; item: T } | undefined {
    const top = this.#heap.peek();
    if (!top || top.at > now) return undefined;
    this.#heap.pop();
    return top;
  }

  get size(): number {
    return this.#heap.size;
  }
}
