import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Agent passwords: scrypt (RFC 7914) with N=2^14, r=8, p=1, a 16-byte random salt and a 32-byte key, stored as
 * the self-describing string `scrypt$N$r$p$<salt base64>$<key base64>` so the cost can be raised later without
 * breaking stored hashes.
 */
const N = 16384;
const R = 8;
const P = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Refuse to verify against absurd stored parameters (a corrupted or hostile row must not exhaust memory). */
const MAX_N = 1 << 20;

function derive(password: string, salt: Buffer, keyLength: number, params: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // scrypt needs 128·N·r bytes; Node's default maxmem (32 MiB) is too small once N grows past 2^17.
    const maxmem = 256 * (params.N ?? N) * (params.r ?? R);
    scrypt(password, salt, keyLength, { ...params, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

/** True when `password` matches `stored`; false for a wrong password or a string that is not one of our hashes. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![n, r, p].every(Number.isSafeInteger) || n < 2 || n > MAX_N || (n & (n - 1)) !== 0 || r < 1 || p < 1) {
    return false;
  }
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (salt.length === 0 || expected.length === 0) return false;
  const actual = await derive(password, salt, expected.length, { N: n, r, p });
  return timingSafeEqual(actual, expected);
}

/**
 * HA1 for SIP digest authentication: lower-case hex MD5(username ":" realm ":" password) (RFC 2617 §3.2.2.2, as
 * RFC 3261 §22.4 uses it). Storing HA1 lets the registrar check digests without the clear password; the realm is
 * the tenant's SIP domain, so changing that domain invalidates every agent's HA1.
 */
export function sipHa1(username: string, realm: string, password: string): string {
  return createHash('md5').update(`${username}:${realm}:${password}`, 'utf8').digest('hex');
}
