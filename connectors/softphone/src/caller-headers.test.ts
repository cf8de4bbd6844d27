import { describe, expect, it } from 'vitest';
import { decodeCallerHeaders } from './caller-headers.js';

const reader = (headers: Record<string, string>) => (name: string) => headers[name];

describe('decodeCallerHeaders', () => {
  it('decodes percent-encoded UTF-8 values', () => {
    const caller = decodeCallerHeaders(reader({
      'X-Sambung-Call-Id': 'cdr-42',
      'X-Sambung-Queue': 'sales',
      'X-Sambung-Caller-Name': 'Nguy%E1%BB%85n%20Th%E1%BB%8B%20Minh',
      'X-Sambung-Caller-Phone': '%2B6281234567890',
      'X-Sambung-Caller-Email': 'minh%40example.com',
    }), 'fallback');
    expect(caller).toEqual({
      callId: 'cdr-42',
      queue: 'sales',
      name: 'Nguyễn Thị Minh',
      phone: '+6281234567890',
      email: 'minh@example.com',
    });
  });

  it('leaves a literal + alone (percent-encoding, not form encoding)', () => {
    expect(decodeCallerHeaders(reader({ 'X-Sambung-Caller-Phone': '+62 812' }), 'f').phone).toBe('+62 812');
  });

  it('reads absent or empty headers as empty strings and falls back for the call id', () => {
    expect(decodeCallerHeaders(reader({ 'X-Sambung-Caller-Name': '' }), 'jssip-session-1')).toEqual({
      callId: 'jssip-session-1', queue: '', name: '', phone: '', email: '',
    });
  });

  it('keeps markup as inert text (it is rendered with textContent)', () => {
    const name = decodeCallerHeaders(reader({ 'X-Sambung-Caller-Name': '%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E' }), 'f')
      .name;
    expect(name).toBe('<img src=x onerror=alert(1)>');
  });

  it('strips control and bidi-override characters, including encoded CR/LF', () => {
    const caller = decodeCallerHeaders(reader({
      'X-Sambung-Caller-Name': 'Bob%0D%0AX-Evil%3A%201%E2%80%AE',
    }), 'f');
    expect(caller.name).toBe('BobX-Evil: 1');
  });

  it('keeps a malformed encoding as sent instead of throwing', () => {
    expect(decodeCallerHeaders(reader({ 'X-Sambung-Caller-Name': '100%25 %E0%A4%A' }), 'f').name).toBe('100%25 %E0%A4%A');
  });

  it('caps each value at its length limit, counting code points', () => {
    const caller = decodeCallerHeaders(reader({
      'X-Sambung-Caller-Name': encodeURIComponent('😀'.repeat(200)),
      'X-Sambung-Caller-Phone': '1'.repeat(100),
    }), 'f');
    expect([...caller.name]).toHaveLength(80);
    expect(caller.phone).toHaveLength(32);
  });
});
