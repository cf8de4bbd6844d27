/**
 * A binary min-heap ordered by a comparator. The routing indexes are built from these: removal is lazy (an
 * entry carries a stamp and is skipped when stale), so every operation is O(log n) and nothing is ever
 * searched linearly.
 */
export class MinHeap<T> {
  readonly #items: T[] = [];
  readonly #less: (a: T, b: T) => boolean;

  /** `less(a, b)` is true when `a` must come out before `b`; it must be a strict, total order. */
  constructor(less: (a: T, b: T) => boolean) {
    this.#less = less;
  }

  get size(): number {
    return this.#items.length;
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  push(item: T): void {
    const items = this.#items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(item, items[parent]!)) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) this.#siftDown(last);
    return top;
  }

  /** Keep only the items `keep` accepts and restore heap order in O(n) (compaction of stale entries). */
  retain(keep: (item: T) => boolean): void {
    const items = this.#items;
    let n = 0;
    for (const item of items) if (keep(item)) items[n++] = item;
    items.length = n;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.#siftDownFrom(i);
  }

  /** Every item, in no particular order. */
  values(): readonly T[] {
    return this.#items;
  }

  #siftDown(item: T): void {
    this.#items[0] = item;
    this.#siftDownFrom(0);
  }

  #siftDownFrom(start: number): void {
    const items = this.#items;
    const n = items.length;
    const item = items[start]!;
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && this.#less(items[r]!, items[l]!) ? r : l;
      if (!this.#less(items[child]!, item)) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = item;
  }
}
