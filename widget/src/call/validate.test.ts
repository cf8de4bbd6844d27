import { describe, expect, it } from 'vitest';
import { validateEmail, validateName, validatePhone, validateVisitor } from './validate.js';

describe('validateName', () => {
  it('accepts a trimmed name between 1 and 80 characters', () => {
    expect(validateName('  Siti Rahma  ')).toBeUndefined();
    expect(validateName('a')).toBeUndefined();
    expect(validateName('x'.repeat(80))).toBeUndefined();
  });

  it('rejects an empty or whitespace-only name', () => {
    expect(validateName('')).toMatch(/enter your name/);
    expect(validateName('   \t ')).toMatch(/enter your name/);
  });

  it('rejects a name longer than 80 characters after trimming', () => {
    expect(validateName('x'.repeat(81))).toMatch(/under 81/);
    expect(validateName(`  ${'x'.repeat(80)}  `)).toBeUndefined();
  });

  it('counts code points, so 80 emoji are still a valid length', () => {
    expect(validateName('☕'.repeat(80))).toBeUndefined();
    expect(validateName('😀'.repeat(80))).toBeUndefined();
    expect(validateName('😀'.repeat(81))).toBeDefined();
  });

  it('rejects control characters and bidi overrides', () => {
    expect(validateName('Bob\u0000')).toMatch(/not allowed/);
    expect(validateName('Bob\nAlice')).toMatch(/not allowed/);
    expect(validateName('Bob\u0085')).toMatch(/not allowed/);
    expect(validateName('Bob \u202egnp.exe')).toMatch(/not allowed/);
    expect(validateName('\u2066Bob')).toMatch(/not allowed/);
  });

  it('accepts names written in any script, and HTML-looking text (it is rendered as text)', () => {
    expect(validateName('Nguyễn Thị Minh Khai')).toBeUndefined();
    expect(validateName('山田 太郎')).toBeUndefined();
    expect(validateName('<img src=x onerror=alert(1)>')).toBeUndefined();
  });
});

describe('validatePhone', () => {
  it('requires a phone number', () => {
    expect(validatePhone('')).toEqual({ error: expect.stringMatching(/enter your phone/) });
    expect(validatePhone('   ')).toEqual({ error: expect.stringMatching(/enter your phone/) });
  });

  it('normalises to an optional + followed by digits', () => {
    expect(validatePhone(' +62 (812) 3456-7890 ')).toEqual({ value: '+6281234567890' });
    expect(validatePhone('021-555-0199')).toEqual({ value: '0215550199' });
  });

  it('accepts 6 to 15 digits and rejects fewer or more', () => {
    expect(validatePhone('123456')).toEqual({ value: '123456' });
    expect(validatePhone('12345')).toEqual({ error: expect.stringMatching(/6 to 15 digits/) });
    expect(validatePhone('+123456789012345')).toEqual({ value: '+123456789012345' });
    expect(validatePhone('+1234567890123456')).toEqual({ error: expect.stringMatching(/6 to 15 digits/) });
  });

  it('rejects letters, a + that is not leading, and other punctuation', () => {
    expect(validatePhone('0812 CALL ME')).toHaveProperty('error');
    expect(validatePhone('0812+34567')).toHaveProperty('error');
    expect(validatePhone('0812.345.678')).toHaveProperty('error');
    expect(validatePhone('++62812345678')).toHaveProperty('error');
  });
});

describe('validateEmail', () => {
  it('is optional', () => {
    expect(validateEmail('')).toEqual({ value: undefined });
    expect(validateEmail('  ')).toEqual({ value: undefined });
  });

  it('accepts ordinary addresses, trimmed', () => {
    expect(validateEmail(' siti@example.co.id ')).toEqual({ value: 'siti@example.co.id' });
    expect(validateEmail('first.last+tag@sub.example.com')).toEqual({ value: 'first.last+tag@sub.example.com' });
  });

  it.each(['siti', 'siti@', '@example.com', 'siti@example', 'siti@example.c', 'si ti@example.com', 'a@b@c.com',
    'siti@exa mple.com', '<siti@example.com>', 'siti@example..com', `${'x'.repeat(65)}@example.com`])(
    'rejects %s',
    (address) => {
      expect(validateEmail(address)).toHaveProperty('error');
    },
  );

  it('rejects addresses longer than 254 characters', () => {
    const long = `a@${'b'.repeat(250)}.com`;
    expect(validateEmail(long)).toHaveProperty('error');
  });
});

describe('validateVisitor', () => {
  it('returns the normalised details when every field is valid', () => {
    expect(validateVisitor({ name: ' Siti ', phone: '+62 812 3456 7890', email: '' })).toEqual({
      ok: true,
      value: { name: 'Siti', phone: '+6281234567890' },
    });
    expect(validateVisitor({ name: 'Siti', phone: '0812345678', email: 'siti@example.com' })).toEqual({
      ok: true,
      value: { name: 'Siti', phone: '0812345678', email: 'siti@example.com' },
    });
  });

  it('reports every failing field at once so the form can show them inline', () => {
    const result = validateVisitor({ name: '', phone: '12', email: 'nope' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['email', 'name', 'phone']);
  });

  it('reports only the failing field', () => {
    const result = validateVisitor({ name: 'Siti', phone: '', email: '' });
    expect(result).toEqual({ ok: false, errors: { phone: 'Please enter your phone number.' } });
  });
});
