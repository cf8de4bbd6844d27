/**
 * SIP digest authentication (RFC 3261 §22.4; RFC 2617 / RFC 7616 with MD5, `qop="auth"`) and Bearer
 * credentials (RFC 8898, for agents whose browser holds a JWT).
 *
 * Nonces are stateless: `<issued-at base36>.<salt>.<HMAC-SHA256(secret, issued-at.salt.realm)>`, so any
 * process holding the secret can verify one and its age without a nonce table. The only state kept is the
 * highest `nc` seen per nonce, in a small bounded map, to refuse replays (RFC 7616 §3.4.5).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';

export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm?: string;
  cnonce?: string;
  nc?: string;
  qop?: string;
  opaque?: string;
}

export type Authorization = { scheme: 'digest'; credentials: DigestCredentials } | { scheme: 'bearer'; token: string };

export type VerifyFailure = 'missing' | 'malformed' | 'stale' | 'bad-credentials' | 'unknown-user';
export type VerifyResult = { ok: true; username: string; realm: string } | { ok: false; reason: VerifyFailure };

export type Ha1Lookup = (username: string, realm: string) => Promise<string | null> | string | null;

export interface DigestAuthenticatorOptions {
  secret: string | Buffer;
  clock: Clock;
  /** How long a nonce stays fresh; older ones get a `stale=true` challenge. Default 5 minutes. */
  nonceTtlMs?: number;
  /** How many nonces' `nc` counters are remembered. Default 10 000. */
  maxTrackedNonces?: number;
}

const md5 = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');

/** HA1 = MD5(username ":" realm ":" password) (RFC 2617 §3.2.2.2); store this, not the password. */
export function computeHa1(username: string, realm: string, password: string): string {
  return md5(`${username}:${realm}:${password}`);
}

/** The request-digest (RFC 2617 §3.2.2.1): with qop=auth, or the RFC 2069 form without qop. */
export function computeDigestResponse(ha1: string, method: string, c: DigestCredentials): string {
  const ha2 = md5(`${method}:${c.uri}`);
  return c.qop ? md5(`${ha1}:${c.nonce}:${c.nc}:${c.cnonce}:${c.qop}:${ha2}`) : md5(`${ha1}:${c.nonce}:${ha2}`);
}

function quoteString(s: string): string {
  return `"${s.replace(/[\\"]/g, (m) => `\\${m}`)}"`;
}

/** `name=value` pairs after the scheme, values as token or quoted-string (RFC 7235 §2.1 auth-param). */
function parseAuthParams(text: string): Record<string, string> | null {
  const params: Record<string, string> = {};
  let i = 0;
  const n = text.length;
  const skip = (): void => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r' || text[i] === '\n')) i++;
  };
  for (;;) {
    skip();
    if (i >= n) return params;
    const nameStart = i;
    while (i < n && /[A-Za-z0-9!#$%&'*+.^_`|~-]/.test(text[i]!)) i++;
    const name = text.slice(nameStart, i).toLowerCase();
    skip();
    if (name === '' || text[i] !== '=') return null;
    i++;
    skip();
    let value = '';
    if (text[i] === '"') {
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < n) i++;
        value += text[i];
        i++;
      }
      if (i >= n) return null;
      i++;
    } else {
      const start = i;
      while (i < n && text[i] !== ',' && text[i] !== ' ' && text[i] !== '\t') i++;
      value = text.slice(start, i);
      if (value === '') return null;
    }
    if (name in params) return null; // RFC 7616 §3.4: each directive at most once
    params[name] = value;
    skip();
    if (i >= n) return params;
    if (text[i] !== ',') return null;
    i++;
  }
}

/**
 * Parse an Authorization (or Proxy-Authorization) header value: Digest credentials or a Bearer token
 * (RFC 8898 §3, RFC 6750 §2.1 token68). Null when empty, malformed, or another scheme.
 */
export function parseAuthorization(value: string | null | undefined): Authorization | null {
  const text = value?.trim() ?? '';
  const m = /^([A-Za-z][A-Za-z0-9-]*)(?:[ \t]+([\s\S]*))?$/.exec(text);
  if (!m) return null;
  const scheme = m[1]!.toLowerCase();
  const rest = (m[2] ?? '').trim();
  if (scheme === 'bearer') return /^[A-Za-z0-9\-._~+/]+=*$/.test(rest) ? { scheme: 'bearer', token: rest } : null;
  if (scheme !== 'digest') return null;
  const p = parseAuthParams(rest);
  if (!p || p.username === undefined || p.realm === undefined || p.nonce === undefined || p.uri === undefined || p.response === undefined) {
    return null;
  }
  const credentials: DigestCredentials = { username: p.username, realm: p.realm, nonce: p.nonce, uri: p.uri, response: p.response };
  for (const key of ['algorithm', 'cnonce', 'nc', 'qop', 'opaque'] as const) if (p[key] !== undefined) credentials[key] = p[key];
  return { scheme: 'digest', credentials };
}

function hexEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a.toLowerCase(), 'utf8');
  const bb = Buffer.from(b.toLowerCase(), 'utf8');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export class DigestAuthenticator {
  readonly #secret: Buffer;
  readonly #clock: Clock;
  readonly #ttl: number;
  readonly #maxTracked: number;
  /** nonce → highest nc seen; Map order is insertion order, so the first key is the oldest. */
  readonly #nc = new Map<string, number>();

  constructor(opts: DigestAuthenticatorOptions) {
    this.#secret = typeof opts.secret === 'string' ? Buffer.from(opts.secret, 'utf8') : opts.secret;
    if (this.#secret.length < 16) throw new RangeError('DigestAuthenticator: the secret must have at least 16 bytes');
    this.#clock = opts.clock;
    this.#ttl = opts.nonceTtlMs ?? 300_000;
    this.#maxTracked = opts.maxTrackedNonces ?? 10_000;
  }

  #mac(issued: string, salt: string, realm: string): string {
    return createHmac('sha256', this.#secret).update(`${issued}.${salt}.${realm}`).digest('base64url').slice(0, 22);
  }

  /** A fresh nonce for `realm`. */
  newNonce(realm: string): string {
    const issued = this.#clock.now().toString(36);
    const salt = randomBytes(6).toString('base64url');
    return `${issued}.${salt}.${this.#mac(issued, salt, realm)}`;
  }

  /** 'fresh', 'stale' (ours but too old), or 'invalid' (not issued by us for this realm). */
  nonceStatus(nonce: string, realm: string): 'fresh' | 'stale' | 'invalid' {
    const parts = nonce.split('.');
    if (parts.length !== 3) return 'invalid';
    const [issued, salt, mac] = parts as [string, string, string];
    const expected = this.#mac(issued, salt, realm);
    if (mac.length !== expected.length || !timingSafeEqual(Buffer.from(mac), Buffer.from(expected))) return 'invalid';
    const age = this.#clock.now() - parseInt(issued, 36);
    return age >= 0 && age <= this.#ttl ? 'fresh' : 'stale';
  }

  /** A WWW-Authenticate (or Proxy-Authenticate) value (RFC 3261 §22.4, RFC 7616 §3.3). */
  challenge(realm: string, stale = false): string {
    const parts = [`Digest realm=${quoteString(realm)}`, `nonce="${this.newNonce(realm)}"`, 'algorithm=MD5', 'qop="auth"'];
    if (stale) parts.push('stale=true');
    return parts.join(', ');
  }

  /**
   * Check an Authorization header value against `method`. The realm is the one the nonce was issued for;
   * `stale` means the password was right but the nonce is old, unknown or replayed, so answer with
   * `challenge(realm, true)` and the client retries without asking its user (RFC 2617 §3.2.1).
   * A throw from `lookupHa1` rejects the promise.
   */
  async verify(method: string, authorization: string | null | undefined, lookupHa1: Ha1Lookup): Promise<VerifyResult> {
    if (authorization == null || authorization.trim() === '') return { ok: false, reason: 'missing' };
    const parsed = parseAuthorization(authorization);
    if (!parsed || parsed.scheme !== 'digest') return { ok: false, reason: 'malformed' };
    const c = parsed.credentials;
    if (c.algorithm !== undefined && c.algorithm.toUpperCase() !== 'MD5') return { ok: false, reason: 'malformed' };
    if (!/^[0-9a-fA-F]{32}$/.test(c.response)) return { ok: false, reason: 'malformed' };
    if (c.qop !== undefined && (c.qop.toLowerCase() !== 'auth' || !c.cnonce || !/^[0-9a-fA-F]{8}$/.test(c.nc ?? ''))) {
      return { ok: false, reason: 'malformed' };
    }
    const ha1 = await lookupHa1(c.username, c.realm);
    if (ha1 === null) return { ok: false, reason: 'unknown-user' };
    if (!hexEqual(computeDigestResponse(ha1, method, c), c.response)) return { ok: false, reason: 'bad-credentials' };
    if (this.nonceStatus(c.nonce, c.realm) !== 'fresh') return { ok: false, reason: 'stale' };
    if (c.qop !== undefined && !this.#acceptNc(c.nonce, parseInt(c.nc!, 16))) return { ok: false, reason: 'stale' };
    return { ok: true, username: c.username, realm: c.realm };
  }

  /** True when `nc` is above every nc seen for `nonce` (RFC 7616 §3.4.5 replay protection). */
  #acceptNc(nonce: string, nc: number): boolean {
    const last = this.#nc.get(nonce);
    if (last !== undefined && nc <= last) return false;
    this.#nc.delete(nonce);
    this.#nc.set(nonce, nc);
    while (this.#nc.size > this.#maxTracked) this.#nc.delete(this.#nc.keys().next().value!);
    return true;
  }
}
