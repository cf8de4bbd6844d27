import { KeyHeap } from './key-heap.js';

/**
 * The engine's timers as data: everything that becomes due at a time (ring timeouts, escalation steps, max
 * wait, end of wrap-up, callbacks) is an entry here, ordered by time then insertion. The engine never sets a
 * timer of its own; its owner asks {@link DueQueue.nextAt} and calls back at that time. Cancelling is lazy: a
 * handler checks whether its entry still applies, so nothing is searched.
 */
export class DueQueue<T> {
  #seq = 0;
  readonly #heap = new KeyHeap<T>(1024);

  push(at: number, item: T): void {
    this.#heap.push(item, 0, at, ++this.#seq);
  }

  /** When the earliest entry is due; null when nothing is pending. */
  nextAt(): number | null {
    return this.#heap.size > 0 ? this.#heap.topKey() : null;
  }

  /** Remove and return the earliest entry, with its due time, if it is due at `now`. */
  popDue(now: number): { at: number; item: T } | undefined {
    const heap = this.#heap;
    if (heap.size === 0) return undefined;
    const at = heap.topKey();
    if (at > now) return undefined;
    const item = heap.topItem()!;
    heap.pop();
    return { at, item };
  }

  get size(): number {
    return this.#heap.size;
  }
}
