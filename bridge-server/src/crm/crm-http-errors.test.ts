import { describe, expect, it } from 'vitest';
import { crmErrorFromResponse, errorText, parseRetryAfter } from './crm-http-errors.js';
import { webUserName } from './web-user-name.js';

const now = Date.parse('2026-11-21T03:00:00Z');
const answer = (status: number, body = '', retryAfter: string | null = null) =>
  crmErrorFromResponse({ operation: 'PUT /x', crm: 'Zendesk', status, retryAfter, body, now });

describe('mapping a CRM\'s HTTP answer to a CrmError', () => {
  it('reads Retry-After as seconds or as an HTTP-date (RFC 9110 §10.2.3)', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Sat, 21 Nov 2026 03:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sat, 21 Nov 2026 02:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('99999999', now)).toBe(24 * 60 * 60_000);
  });

  it('sorts statuses into kinds', () => {
    expect([401, 403].map((s) => answer(s).kind)).toEqual(['auth', 'auth']);
    expect([408, 429, 500, 502, 503].map((s) => answer(s).kind)).toEqual(Array(5).fill('retryable'));
    expect(answer(413).kind).toBe('too-large');
    expect([400, 404, 409, 422].map((s) => answer(s).kind)).toEqual(Array(4).fill('rejected'));
    expect([302, 304, 100].map((s) => answer(s).kind)).toEqual(Array(3).fill('invalid-response'));
    expect(answer(503, '', '7')).toMatchObject({ kind: 'retryable', retryAfterMs: 7000, status: 503 });
  });

  it('keeps the CRM\'s own error text for rejections', () => {
    expect(answer(422, '{"error":"RecordInvalid","description":"Record validation errors"}').crmMessage).toBe(
      'RecordInvalid: Record validation errors',
    );
    expect(answer(422, '{"error":{"code":"invalid","message":"Phone is invalid"}}').crmMessage).toBe('Phone is invalid');
    expect(answer(400, '<html>Bad</html>').crmMessage).toBe('<html>Bad</html>');
    expect(errorText('x'.repeat(600))).toHaveLength(501);
    expect(answer(404).crmMessage).toBe('status 404 on PUT /x');
  });

  it('never puts credentials in messages: it only knows the operation and the answer', () => {
    expect(answer(401, '{"message":"Couldn\'t authenticate you"}').message).toBe(
      "Zendesk refused the credentials (401) on PUT /x: reconnect the CRM: Couldn't authenticate you",
    );
  });
});

describe('the anonymous visitor\'s name', () => {
  it('is "Web User – MM/DD HH:MM" at the given time in the tenant\'s zone, midnight as 00', () => {
    expect(webUserName(new Date('2026-11-21T23:05:00Z'), 'Asia/Jakarta')).toBe('Web User \u2013 11/22 06:05');
    expect(webUserName(new Date('2026-03-08T05:00:00Z'), 'America/New_York')).toBe('Web User \u2013 03/08 00:00');
    expect(webUserName(new Date('2026-01-02T03:04:00Z'), 'UTC')).toBe('Web User \u2013 01/02 03:04');
  });
});
