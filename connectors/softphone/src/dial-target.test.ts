import { describe, expect, it } from 'vitest';
import { dialledContact, parseDialTarget } from './dial-target.js';

describe('parseDialTarget', () => {
  it.each([
    ['bob', 'bob', 'username'],
    [' Bob.Smith ', 'bob.smith', 'username'],
    ['agent_7', 'agent_7', 'username'],
    ['201', '201', 'extension'],
    ['12-34', '1234', 'extension'],
    ['+62 812-3456-7890', '+6281234567890', 'phone'],
    ['(0812) 3456.7890', '081234567890', 'phone'],
    ['1234567', '1234567', 'phone'],
    ['+1', '+1', 'phone'],
  ])('%s → %s (%s)', (raw, user, kind) => {
    expect(parseDialTarget(raw)).toEqual({ user, kind });
  });

  it.each([
    '', '   ', '---', 'bob@example.com', 'tel:+62812', 'sip:bob@d', '+62 812 ext 5', '62+812', 'bob smith',
    '1234567890123456', 'ünïcode', 'a'.repeat(65),
  ])('does not dial %j', (raw) => {
    expect(parseDialTarget(raw)).toBeNull();
  });
});

describe('dialledContact', () => {
  it('logs a number as the phone and a username or extension as the name; a record name wins', () => {
    expect(dialledContact({ user: '+6281234567890', kind: 'phone' })).toEqual({ name: '', phone: '+6281234567890', email: '' });
    expect(dialledContact({ user: 'bob', kind: 'username' })).toEqual({ name: 'bob', phone: '', email: '' });
    expect(dialledContact({ user: '201', kind: 'extension' }, ' Front desk ')).toEqual({ name: 'Front desk', phone: '', email: '' });
  });
});
