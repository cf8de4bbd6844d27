import { describe, expect, it } from 'vitest';
import { KeyHeap } from './key-heap.js';
import { MinHeap } from './min-heap.js';

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe('MinHeap', () => {
  it('pops items in comparator order whatever the insertion order', () => {
    const rnd = lcg(7);
    const h = new MinHeap<number>((a, b) => a < b);
    const xs = Array.from({ length: 500 }, () => Math.floor(rnd() * 100));
    xs.forEach((x) => h.push(x));
    const out: number[] = [];
    while (h.size) out.push(h.pop()!);
    expect(out).toEqual([...xs].sort((a, b) => a - b));
  });

  it('keeps heap order after retaining a subset', () => {
    const h = new MinHeap<number>((a, b) => a < b);
    for (let i = 100; i > 0; i--) h.push(i);
    h.retain((x) => x % 3 === 0);
    const out: number[] = [];
    while (h.size) out.push(h.pop()!);
    expect(out).toEqual(Array.from({ length: 33 }, (_, i) => 3 * (i + 1)));
  });
});

describe('KeyHeap', () => {
  it('orders by the first key, then the second, then the third', () => {
    const rnd = lcg(11);
    const h = new KeyHeap<string>(2);
    const entries = Array.from({ length: 400 }, (_, i) => [Math.floor(rnd() * 5), Math.floor(rnd() * 5), i] as const);
    for (const [a, b, c] of entries) h.push(`${a}/${b}/${c}`, 0, a, b, c);
    const out: string[] = [];
    while (h.size) (out.push(h.topItem()!), h.pop());
    const expected = [...entries].sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]).map(([a, b, c]) => `${a}/${b}/${c}`);
    expect(out).toEqual(expected);
  });

  it('hands back the stamp of each entry and drops what retain rejects', () => {
    const h = new KeyHeap<{ id: number; stamp: number }>();
    const items = Array.from({ length: 50 }, (_, id) => ({ id, stamp: 1 }));
    items.forEach((it) => h.push(it, it.stamp, 50 - it.id));
    for (const it of items) if (it.id % 2 === 0) it.stamp = 2; // even ids go stale
    h.retain((it, stamp) => stamp === it.stamp);
    const ids: number[] = [];
    while (h.size) {
      expect(h.topStamp()).toBe(h.topItem()!.stamp);
      ids.push(h.topItem()!.id);
      h.pop();
    }
    expect(ids).toEqual(items.filter((i) => i.id % 2 === 1).map((i) => i.id).reverse());
  });
});
