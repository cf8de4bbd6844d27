import { describe, expect, it } from 'vitest';
import { LatestRead } from './latest-read.js';

describe('LatestRead', () => {
  it('drops an answer that arrives after a later-started read was drawn', () => {
    const reads = new LatestRead();
    const poll = reads.begin();
    const afterConnect = reads.begin();
    expect(afterConnect()).toBe(true);
    expect(poll()).toBe(false);
  });

  it('draws answers that arrive in the order their reads started, and a read started later still', () => {
    const reads = new LatestRead();
    const first = reads.begin();
    const second = reads.begin();
    expect(first()).toBe(true);
    expect(second()).toBe(true);
    expect(reads.begin()()).toBe(true);
  });
});
