/**
 * A min-heap ordered by up to three numeric keys, kept in typed arrays beside the items. The routing indexes
 * and the due queue are built on it: sifting compares numbers in contiguous memory instead of following a
 * pointer per comparison, which is what keeps a decision in the microseconds once 100,000 calls are waiting
 * (the object-per-entry heap was memory-bound at that size).
 *
 * Each entry also carries a `stamp`: removal is lazy, the owner compares an entry's stamp with its item's
 * current one and drops stale entries when they surface.
 */
export class KeyHeap<T> {
  #k1: Float64Array;
  #k2: Float64Array;
  #k3: Float64Array;
  #stamps: Float64Array;
  #items: (T | undefined)[] = [];
  #size = 0;

  constructor(capacity = 16) {
    this.#k1 = new Float64Array(capacity);
    this.#k2 = new Float64Array(capacity);
    this.#k3 = new Float64Array(capacity);
    this.#stamps = new Float64Array(capacity);
  }

  get size(): number {
    return this.#size;
  }

  topItem(): T | undefined {
    return this.#size > 0 ? this.#items[0] : undefined;
  }

  topStamp(): number {
    return this.#stamps[0]!;
  }

  /** The top entry's first key (a due time, a place in line). */
  topKey(): number {
    return this.#k1[0]!;
  }

  /** The top entry's keys, for setting it aside and pushing it back unchanged. */
  topKeys(): [number, number, number] {
    return [this.#k1[0]!, this.#k2[0]!, this.#k3[0]!];
  }

  push(item: T, stamp: number, k1: number, k2 = 0, k3 = 0): void {
    if (this.#size === this.#k1.length) this.#grow();
    const k1s = this.#k1, k2s = this.#k2, k3s = this.#k3, st = this.#stamps, items = this.#items;
    let i = this.#size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pk1 = k1s[p]!;
      if (pk1 < k1 || (pk1 === k1 && (k2s[p]! < k2 || (k2s[p] === k2 && k3s[p]! <= k3)))) break;
      k1s[i] = pk1;
      k2s[i] = k2s[p]!;
      k3s[i] = k3s[p]!;
      st[i] = st[p]!;
      items[i] = items[p];
      i = p;
    }
    k1s[i] = k1;
    k2s[i] = k2;
    k3s[i] = k3;
    st[i] = stamp;
    items[i] = item;
  }

  /** Remove the top entry. */
  pop(): void {
    const n = --this.#size;
    if (n < 0) {
      this.#size = 0;
      return;
    }
    const items = this.#items;
    if (n === 0) {
      items[0] = undefined;
      return;
    }
    this.#place(0, this.#k1[n]!, this.#k2[n]!, this.#k3[n]!, this.#stamps[n]!, items[n]!);
    items[n] = undefined;
  }

  /** Keep the entries `keep` accepts and restore heap order, O(n): compaction of stale entries. */
  retain(keep: (item: T, stamp: number) => boolean): void {
    const k1s = this.#k1, k2s = this.#k2, k3s = this.#k3, st = this.#stamps, items = this.#items;
    let n = 0;
    for (let i = 0; i < this.#size; i++) {
      if (!keep(items[i]!, st[i]!)) continue;
      k1s[n] = k1s[i]!;
      k2s[n] = k2s[i]!;
      k3s[n] = k3s[i]!;
      st[n] = st[i]!;
      items[n++] = items[i];
    }
    for (let i = n; i < this.#size; i++) items[i] = undefined;
    this.#size = n;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.#place(i, k1s[i]!, k2s[i]!, k3s[i]!, st[i]!, items[i]!);
  }

  /** Sift the entry (k1, k2, k3, stamp, item) down from `start` and write it where it belongs. */
  #place(start: number, k1: number, k2: number, k3: number, stamp: number, item: T): void {
    const k1s = this.#k1, k2s = this.#k2, k3s = this.#k3, st = this.#stamps, items = this.#items;
    const n = this.#size;
    let i = start;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && (k1s[r]! < k1s[c]! || (k1s[r] === k1s[c] && (k2s[r]! < k2s[c]! || (k2s[r] === k2s[c] && k3s[r]! < k3s[c]!))))) c = r;
      const ck1 = k1s[c]!;
      if (k1 < ck1 || (k1 === ck1 && (k2 < k2s[c]! || (k2 === k2s[c] && k3 <= k3s[c]!)))) break;
      k1s[i] = ck1;
      k2s[i] = k2s[c]!;
      k3s[i] = k3s[c]!;
      st[i] = st[c]!;
      items[i] = items[c];
      i = c;
    }
    k1s[i] = k1;
    k2s[i] = k2;
    k3s[i] = k3;
    st[i] = stamp;
    items[i] = item;
  }

  #grow(): void {
    const cap = this.#k1.length * 2;
    const grow = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.#k1 = grow(this.#k1);
    this.#k2 = grow(this.#k2);
    this.#k3 = grow(this.#k3);
    this.#stamps = grow(this.#stamps);
  }
}
