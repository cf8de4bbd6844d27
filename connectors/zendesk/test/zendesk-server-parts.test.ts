import { describe, expect, it } from 'vitest';
import { callExternalId, deliveryTag, voiceTicketSubject, zendeskId } from '../server/voice-ticket.js';
import { zendeskCrmError, zendeskErrorText } from '../server/zendesk-error-text.js';
import { emailSearchQuery, phoneSearchQuery } from '../server/zendesk-search.js';

describe('zendeskErrorText', () => {
  it('joins error, description and every field detail of a RecordInvalid body', () => {
    const body = JSON.stringify({
      error: 'RecordInvalid',
      description: 'Record validation errors',
      details: { email: [{ description: 'Email: x is not properly formatted', error: 'InvalidFormat' }], phone: [{ error: 'Taken' }], base: 'Ticket is closed' },
    });
    expect(zendeskErrorText(body)).toBe('RecordInvalid: Record validation errors — Email: x is not properly formatted; Taken; base: Ticket is closed');
  });

  it('reads the other shapes Zendesk uses: a bare error, an error object, a single detail object, plain text', () => {
    expect(zendeskErrorText('{"error":"Couldn\'t authenticate you"}')).toBe("Couldn't authenticate you");
    expect(zendeskErrorText('{"error":{"title":"Forbidden","message":"You do not have access"}}')).toBe('Forbidden: You do not have access');
    expect(zendeskErrorText('{"details":{"name":{"description":"Name: is too short"}}}')).toBe('Name: is too short');
    expect(zendeskErrorText('Too Many Requests')).toBe('Too Many Requests');
    expect(zendeskErrorText('x'.repeat(600))).toHaveLength(501);
  });

  it('keeps the shared status mapping and only adds the text for rejected answers', () => {
    const base = { operation: 'PUT /api/v2/tickets/1.json', crm: 'Zendesk', retryAfter: null, now: 0 };
    const body = '{"error":"RecordInvalid","description":"Record validation errors","details":{"status":[{"description":"Status: closed prevents ticket update"}]}}';
    expect(zendeskCrmError({ ...base, status: 422, body })).toMatchObject({ kind: 'rejected', status: 422, crmMessage: expect.stringContaining('closed prevents ticket update') });
    expect(zendeskCrmError({ ...base, status: 404, body: '' })).toMatchObject({ kind: 'rejected', crmMessage: 'status 404 on PUT /api/v2/tickets/1.json' });
    expect(zendeskCrmError({ ...base, status: 403, body })).toMatchObject({ kind: 'auth' });
    expect(zendeskCrmError({ ...base, status: 503, body: '', retryAfter: '5' })).toMatchObject({ kind: 'retryable', retryAfterMs: 5000 });
  });
});

describe('voice ticket parts', () => {
  it('accepts only positive integer Zendesk ids', () => {
    expect(zendeskId('360000000001')).toBe(360000000001);
    for (const bad of ['', '0', '012', '-1', '1.5', '1e3', ' 1', '99999999999999999999', 'Lead/00Q']) expect(zendeskId(bad)).toBeNull();
  });

  it('derives a lowercase, space-free tag per key that tells keys differing only in case apart', () => {
    expect(deliveryTag('call-log:Call-1')).toMatch(/^sambung_key_[0-9a-f]{32}$/);
    expect(deliveryTag('call-log:Call-1')).not.toBe(deliveryTag('call-log:call-1'));
    expect(callExternalId('c-1')).toBe('sambung-call:c-1');
  });

  it('names the ticket by outcome, direction and queue, within Zendesk\'s subject length', () => {
    const log = { direction: 'inbound', outcome: 'abandoned', from: 'web:Siti', to: 'sales', queue: '' } as const;
    expect(voiceTicketSubject(log as never)).toBe('Abandoned call from web:Siti');
    expect(voiceTicketSubject({ ...log, from: 'x'.repeat(400) } as never)).toHaveLength(250);
  });
});

describe('search queries', () => {
  it('builds the phone query from the last 15 digits, and none below 5 digits', () => {
    expect(phoneSearchQuery('+62 (21) 555-0100')).toBe('role:end-user phone:*62215550100');
    expect(phoneSearchQuery('1234567890123456789')).toBe('role:end-user phone:*567890123456789');
    expect(phoneSearchQuery('+1 23')).toBeNull();
  });

  it('quotes an address and refuses one that carries search syntax', () => {
    expect(emailSearchQuery(' Siti@Example.com ', 'type:user')).toBe('type:user email:"siti@example.com"');
    expect(emailSearchQuery("o'brien@example.com", 'role:end-user')).toBe('role:end-user email:"o\'brien@example.com"');
    for (const bad of ['', 'no-at-sign', '@example.com', 'siti@', 'a b@example.com', 'a"@example.com', 'a*@example.com', 'a:b@example.com', 'a(b)@x.co']) {
      expect(emailSearchQuery(bad, 'role:end-user')).toBeNull();
    }
  });
});
