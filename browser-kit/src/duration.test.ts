import { describe, expect, it } from 'vitest';
import { formatDuration } from './duration.js';

describe('formatDuration', () => {
  it('formats minutes and seconds with leading zeros', () => {
    expect(formatDuration(0)).toBe('00:00');
    expect(formatDuration(999)).toBe('00:00');
    expect(formatDuration(1000)).toBe('00:01');
    expect(formatDuration(61_500)).toBe('01:01');
    expect(formatDuration(3_599_000)).toBe('59:59');
  });

  it('adds hours past an hour', () => {
    expect(formatDuration(3_600_000)).toBe('1:00:00');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
  });

  it('reads 00:00 for negative or non-finite input (clock skew)', () => {
    expect(formatDuration(-5000)).toBe('00:00');
    expect(formatDuration(Number.NaN)).toBe('00:00');
  });
});
