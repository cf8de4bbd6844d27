import { describe, expect, it } from 'vitest';
import { decodeCallKind, dialHref } from './call-kind.js';

describe('decodeCallKind', () => {
  it('reads a callback, case and space insensitive', () => {
    expect(decodeCallKind('callback')).toBe('callback');
    expect(decodeCallKind(' CallBack ')).toBe('callback');
  });

  it('treats anything else, or no header, as a call', () => {
    for (const raw of [undefined, null, '', 'call', 'callbacks', 'call back', 'callback\r\nX: y', 'video']) {
      expect(decodeCallKind(raw), String(raw)).toBe('call');
    }
  });
});

describe('dialHref', () => {
  it('builds tel: only from a normalised number', () => {
    expect(dialHref('+6281234567890')).toBe('tel:+6281234567890');
    expect(dialHref('081234567890')).toBe('tel:081234567890');
    for (const bad of ['', '+62 812', 'javascript:alert(1)', '12345', '+1234567890123456', '1;ext=2']) {
      expect(dialHref(bad), bad).toBeNull();
    }
  });
});
