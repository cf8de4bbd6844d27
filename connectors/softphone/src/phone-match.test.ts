import { describe, expect, it } from 'vitest';
import { emailsMatch, phonesMatch } from './phone-match.js';

describe('phonesMatch', () => {
  it('matches the same digits whatever the formatting', () => {
    expect(phonesMatch('+62 812-3456-7890', '+6281234567890')).toBe(true);
    expect(phonesMatch('(021) 555 0199', '0215550199')).toBe(true);
  });

  it('matches a national number against its international form', () => {
    expect(phonesMatch('0812 3456 7890', '+62 812 3456 7890')).toBe(true);
  });

  it('does not match short suffixes, different numbers or empty values', () => {
    expect(phonesMatch('5550199', '+1 212 555 0199')).toBe(false);
    expect(phonesMatch('+6281234567890', '+6281234567891')).toBe(false);
    expect(phonesMatch('', '')).toBe(false);
    expect(phonesMatch('', '+6281234567890')).toBe(false);
  });
});

describe('emailsMatch', () => {
  it('compares case-insensitively and never matches empty', () => {
    expect(emailsMatch('Siti@Example.com ', 'siti@example.com')).toBe(true);
    expect(emailsMatch('', '')).toBe(false);
  });
});
