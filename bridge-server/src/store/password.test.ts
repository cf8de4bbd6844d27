import { describe, expect, it } from 'vitest';
import { hashPassword, sipHa1, verifyPassword } from './password.js';

describe('password hashing', () => {
  it('stores a self-describing scrypt string that verifies the right password only', async () => {
    const stored = await hashPassword('correct horse');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct horsE', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts every hash, so one password hashes differently twice', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('verifies against the parameters recorded in the string, not the current defaults', async () => {
    // A hash written with a lower cost (N=1024) must keep verifying after the defaults change.
    const { scryptSync } = await import('node:crypto');
    const salt = Buffer.from('0123456789abcdef');
    const key = scryptSync('old', salt, 32, { N: 1024, r: 8, p: 1 });
    const stored = `scrypt$1024$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
    expect(await verifyPassword('old', stored)).toBe(true);
    expect(await verifyPassword('new', stored)).toBe(false);
  });

  it('answers false rather than throwing for strings that are not our hashes', async () => {
    for (const stored of ['', 'plain', 'bcrypt$x', 'scrypt$16384$8$1$$', 'scrypt$3$8$1$c2FsdA==$a2V5', 'scrypt$16384$8$1$c2FsdA==']) {
      expect(await verifyPassword('pw', stored)).toBe(false);
    }
  });

  it('refuses a stored cost so large it would exhaust memory', async () => {
    expect(await verifyPassword('pw', `scrypt$${2 ** 24}$8$1$c2FsdA==$a2V5`)).toBe(false);
  });
});

describe('SIP digest HA1', () => {
  it('is the lower-case hex MD5 of username:realm:password (RFC 2617 §3.2.2.2)', () => {
    // RFC 2617 §3.5's example user: MD5("Mufasa:testrealm@host.com:Circle Of Life").
    expect(sipHa1('Mufasa', 'testrealm@host.com', 'Circle Of Life')).toBe('939e7578ed9e3c518a452acee763bce9');
  });

  it('depends on the realm, so the same password gives another HA1 in another tenant', () => {
    expect(sipHa1('alice', 'a.example', 'pw')).not.toBe(sipHa1('alice', 'b.example', 'pw'));
  });
});
