import { describe, expect, it } from 'vitest';
import { mailtoHref, parseDeflectionHeader, readDeflection, telHref } from './deflection.js';
import { describeDeflectReason, describeDeflectionOffer } from './deflection-wording.js';

const encode = (value: unknown): string => encodeURIComponent(JSON.stringify(value));

describe('parseDeflectionHeader', () => {
  it('decodes each documented type', () => {
    expect(parseDeflectionHeader(encode({ reason: 'closed', type: 'message', text: 'Buka jam 08.00–17.00 ☕' })))
      .toEqual({ reason: 'closed', type: 'message', text: 'Buka jam 08.00–17.00 ☕' });
    expect(parseDeflectionHeader(encode({ reason: 'full', type: 'email', address: 'sales@example.com' })))
      .toEqual({ reason: 'full', type: 'email', address: 'sales@example.com' });
    expect(parseDeflectionHeader(encode({ reason: 'expected-wait', type: 'phone', number: '+6221555000' })))
      .toEqual({ reason: 'expected-wait', type: 'phone', number: '+6221555000' });
    expect(parseDeflectionHeader(encode({ reason: 'max-wait', type: 'callback', slotMinutes: 30 })))
      .toEqual({ reason: 'max-wait', type: 'callback', slotMinutes: 30 });
    expect(parseDeflectionHeader(encode({ reason: 'closed', type: 'voicemail' })))
      .toEqual({ reason: 'closed', type: 'voicemail' });
  });

  it('ignores unknown fields and an unknown reason, keeping the offer', () => {
    expect(parseDeflectionHeader(encode({ reason: 'holiday', type: 'voicemail', greeting: 'x', extra: { a: 1 } })))
      .toEqual({ type: 'voicemail' });
    expect(parseDeflectionHeader(encode({ type: 'callback', slotMinutes: -5 }))).toEqual({ type: 'callback' });
    expect(parseDeflectionHeader(encode({ type: 'callback', slotMinutes: '30' }))).toEqual({ type: 'callback' });
  });

  it('accepts JSON the bridge forgot to percent-encode', () => {
    expect(parseDeflectionHeader('{"reason":"closed","type":"voicemail"}')).toEqual({ reason: 'closed', type: 'voicemail' });
  });

  it('returns null for anything that is not a usable deflection', () => {
    const hostile = [
      undefined, '', '%', '%E0%A4%A', 'null', '42', '"voicemail"', '[]', encode([{ type: 'voicemail' }]),
      encode({ reason: 'closed' }), encode({ type: 'sms', number: '+6221555000' }), encode({ type: 'Message', text: 'x' }),
      encode({ type: 'message', text: '' }), encode({ type: 'message', text: ' \u0000\u202e ' }), encode({ type: 'message', text: 7 }),
      encode({ type: 'email', address: 'not an address' }), encode({ type: 'email', address: 'a@b.c,evil@x.com' }),
      encode({ type: 'email', address: 'javascript:alert(1)//@x.com' }),
      encode({ type: 'phone', number: '021 555 000' }), encode({ type: 'phone', number: '+0221555000' }),
      encode({ type: 'phone', number: 'javascript:alert(1)' }), encode({ type: 'phone', number: '+1234567890123456' }),
      'x'.repeat(9000), encode({ type: 'voicemail', pad: 'x'.repeat(9000) }),
    ];
    for (const raw of hostile) expect(parseDeflectionHeader(raw), String(raw).slice(0, 60)).toBeNull();
  });

  it('reads own properties only, so a polluted prototype cannot supply a field', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto['address'] = 'evil@example.com';
    try {
      expect(parseDeflectionHeader(encode({ type: 'email' }))).toBeNull();
      expect(parseDeflectionHeader('{"__proto__":{"type":"voicemail"}}')).toBeNull();
    } finally {
      delete proto['address'];
    }
  });

  it('cleans the configured message of controls and bidi overrides, keeping paragraphs, and caps it', () => {
    const parsed = readDeflection({ type: 'message', text: '  Hi\r\n\r\n\r\n\u202eThere\u0007 ' });
    expect(parsed).toEqual({ type: 'message', text: 'Hi\n\nThere' });
    const long = readDeflection({ type: 'message', text: '☕'.repeat(5000) });
    expect(long?.type === 'message' && [...long.text].length).toBe(1000);
  });

  it('keeps markup as inert text (the view uses textContent)', () => {
    expect(readDeflection({ type: 'message', text: '<img src=x onerror=alert(1)>' }))
      .toEqual({ type: 'message', text: '<img src=x onerror=alert(1)>' });
  });
});

describe('mailtoHref and telHref', () => {
  it('percent-encodes each part of the address so no mailto field can be injected', () => {
    expect(mailtoHref('sales@example.com')).toBe('mailto:sales@example.com');
    expect(mailtoHref('a?cc=evil@example.com')).toBe('mailto:a%3Fcc%3Devil@example.com');
    expect(mailtoHref('x&body=hi@example.com')).toBe('mailto:x%26body%3Dhi@example.com');
    expect(mailtoHref('pelayanan@kopi.co.id')).toBe('mailto:pelayanan@kopi.co.id');
  });

  it('refuses what is not an e-mail address', () => {
    for (const bad of ['', 'sales', 'a@b', 'a b@example.com', '<a@example.com>', 'a@exa\nmple.com', 'a@@example.com']) {
      expect(mailtoHref(bad), bad).toBeNull();
    }
  });

  it('builds tel: only for E.164 numbers', () => {
    expect(telHref('+6221555000')).toBe('tel:+6221555000');
    expect(telHref('6221555000')).toBeNull();
    expect(telHref('+62 21 555 000')).toBeNull();
    expect(telHref('+6221555000;ext=1')).toBeNull();
  });
});

describe('deflection wording', () => {
  it('gives a human sentence for every reason and for an unknown one', () => {
    expect(describeDeflectReason('closed')).toBe("We're closed right now.");
    expect(describeDeflectReason('full')).toMatch(/busy/);
    expect(describeDeflectReason('expected-wait')).toMatch(/wait/);
    expect(describeDeflectReason('max-wait')).toMatch(/wait/);
    expect(describeDeflectReason(undefined)).toMatch(/can't take your call/);
  });

  it('names the alternative offered', () => {
    expect(describeDeflectionOffer({ type: 'email', address: 'a@example.com' })).toBe('Write to us');
    expect(describeDeflectionOffer({ type: 'phone', number: '+6221555000' })).toBe('Call us');
    expect(describeDeflectionOffer({ type: 'voicemail' })).toMatch(/not available yet/);
  });
});
