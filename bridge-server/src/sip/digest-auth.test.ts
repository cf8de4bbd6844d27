import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import {
  DigestAuthenticator,
  computeDigestResponse,
  computeHa1,
  parseAuthorization,
  type DigestCredentials,
} from './digest-auth.js';

const REALM = 'sambung.example';
const HA1 = computeHa1('alice', REALM, 's3cret');
const lookup = (user: string, realm: string): string | null => (user === 'alice' && realm === REALM ? HA1 : null);

function setup() {
  const clock = new ManualClock();
  const auth = new DigestAuthenticator({ secret: 'a-test-secret-of-32-bytes-length!', clock, nonceTtlMs: 60_000 });
  return { clock, auth };
}

function nonceOf(challenge: string): string {
  return /nonce="([^"]+)"/.exec(challenge)![1]!;
}

/** What a UA (JsSIP) sends back for a challenge. */
function answer(nonce: string, opts: { password?: string; nc?: string; qop?: boolean; user?: string; realm?: string } = {}): string {
  const realm = opts.realm ?? REALM;
  const user = opts.user ?? 'alice';
  const c: DigestCredentials = { username: user, realm, nonce, uri: 'sip:sambung.example', response: '' };
  if (opts.qop !== false) Object.assign(c, { qop: 'auth', nc: opts.nc ?? '00000001', cnonce: 'f00dcafe' });
  c.response = computeDigestResponse(computeHa1(user, realm, opts.password ?? 's3cret'), 'REGISTER', c);
  const parts = [`username="${user}"`, `realm="${realm}"`, `nonce="${nonce}"`, `uri="${c.uri}"`, `response="${c.response}"`, 'algorithm=MD5'];
  if (c.qop) parts.push(`cnonce="${c.cnonce}"`, `nc=${c.nc}`, 'qop=auth');
  return `Digest ${parts.join(', ')}`;
}

describe('digest computations', () => {
  it('matches the RFC 2617 §3.5 example', () => {
    const ha1 = computeHa1('Mufasa', 'testrealm@host.com', 'Circle Of Life');
    expect(ha1).toBe('939e7578ed9e3c518a452acee763bce9');
    const response = computeDigestResponse(ha1, 'GET', {
      username: 'Mufasa',
      realm: 'testrealm@host.com',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      uri: '/dir/index.html',
      response: '',
      qop: 'auth',
      nc: '00000001',
      cnonce: '0a4f113b',
    });
    expect(response).toBe('6629fae49393a05397450978507c4ef1');
  });
});

describe('DigestAuthenticator', () => {
  it('challenges with realm, nonce, MD5 and qop="auth", and stale=true on request', () => {
    const { auth } = setup();
    const c = auth.challenge(REALM);
    expect(c).toMatch(/^Digest realm="sambung\.example", nonce="[^"]+", algorithm=MD5, qop="auth"$/);
    expect(auth.challenge(REALM, true)).toMatch(/, stale=true$/);
    expect(nonceOf(auth.challenge(REALM))).not.toBe(nonceOf(c));
  });

  it('accepts a correct qop=auth response and a correct RFC 2069 response without qop', async () => {
    const { auth } = setup();
    const nonce = nonceOf(auth.challenge(REALM));
    expect(await auth.verify('REGISTER', answer(nonce), lookup)).toEqual({ ok: true, username: 'alice', realm: REALM });
    expect(await auth.verify('REGISTER', answer(nonce, { qop: false }), lookup)).toMatchObject({ ok: true });
  });

  it('accepts an async HA1 lookup', async () => {
    const { auth } = setup();
    const nonce = nonceOf(auth.challenge(REALM));
    expect(await auth.verify('REGISTER', answer(nonce), async () => HA1)).toMatchObject({ ok: true });
  });

  it('says missing, malformed, unknown-user and bad-credentials for what they are', async () => {
    const { auth } = setup();
    const nonce = nonceOf(auth.challenge(REALM));
    expect(await auth.verify('REGISTER', undefined, lookup)).toEqual({ ok: false, reason: 'missing' });
    expect(await auth.verify('REGISTER', 'Digest username="alice"', lookup)).toEqual({ ok: false, reason: 'malformed' });
    expect(await auth.verify('REGISTER', answer(nonce).replace('algorithm=MD5', 'algorithm=SHA-256'), lookup)).toEqual({ ok: false, reason: 'malformed' });
    expect(await auth.verify('REGISTER', 'Bearer abc.def', lookup)).toEqual({ ok: false, reason: 'malformed' });
    expect(await auth.verify('REGISTER', answer(nonce, { user: 'mallory' }), lookup)).toEqual({ ok: false, reason: 'unknown-user' });
    expect(await auth.verify('REGISTER', answer(nonce, { password: 'guess' }), lookup)).toEqual({ ok: false, reason: 'bad-credentials' });
    expect(await auth.verify('INVITE', answer(nonce), lookup)).toEqual({ ok: false, reason: 'bad-credentials' });
  });

  it('calls a nonce stale once it is older than its TTL, if the password was right', async () => {
    const { auth, clock } = setup();
    const nonce = nonceOf(auth.challenge(REALM));
    clock.advance(60_001);
    expect(await auth.verify('REGISTER', answer(nonce), lookup)).toEqual({ ok: false, reason: 'stale' });
    expect(await auth.verify('REGISTER', answer(nonce, { password: 'guess' }), lookup)).toEqual({ ok: false, reason: 'bad-credentials' });
  });

  it('calls a nonce it did not issue (another secret, edited, another realm) stale', async () => {
    const { auth, clock } = setup();
    const other = new DigestAuthenticator({ secret: 'another-secret-entirely-32-bytes', clock });
    expect(await auth.verify('REGISTER', answer(nonceOf(other.challenge(REALM))), lookup)).toEqual({ ok: false, reason: 'stale' });
    const nonce = nonceOf(auth.challenge('other.example'));
    expect(await auth.verify('REGISTER', answer(nonce), lookup)).toEqual({ ok: false, reason: 'stale' });
    const edited = nonceOf(auth.challenge(REALM)).replace(/^[0-9a-z]+/, (ts) => (parseInt(ts, 36) + 1000).toString(36));
    expect(await auth.verify('REGISTER', answer(edited), lookup)).toEqual({ ok: false, reason: 'stale' });
  });

  it('refuses a replayed nc for the same nonce and accepts increasing ones', async () => {
    const { auth } = setup();
    const nonce = nonceOf(auth.challenge(REALM));
    expect(await auth.verify('REGISTER', answer(nonce, { nc: '00000001' }), lookup)).toMatchObject({ ok: true });
    expect(await auth.verify('REGISTER', answer(nonce, { nc: '00000001' }), lookup)).toEqual({ ok: false, reason: 'stale' });
    expect(await auth.verify('REGISTER', answer(nonce, { nc: '00000002' }), lookup)).toMatchObject({ ok: true });
  });

  it('forgets the oldest nonces beyond its bound', async () => {
    const clock = new ManualClock();
    const auth = new DigestAuthenticator({ secret: 'a-test-secret-of-32-bytes-length!', clock, maxTrackedNonces: 2 });
    const nonces = [1, 2, 3].map(() => nonceOf(auth.challenge(REALM)));
    for (const n of nonces) expect(await auth.verify('REGISTER', answer(n), lookup)).toMatchObject({ ok: true });
    expect(await auth.verify('REGISTER', answer(nonces[2]!), lookup)).toMatchObject({ ok: false, reason: 'stale' });
    expect(await auth.verify('REGISTER', answer(nonces[0]!), lookup)).toMatchObject({ ok: true });
  });

  it('refuses a short secret', () => {
    expect(() => new DigestAuthenticator({ secret: 'short', clock: new ManualClock() })).toThrow(RangeError);
  });
});

describe('parseAuthorization', () => {
  it('parses a Bearer token (RFC 8898)', () => {
    expect(parseAuthorization('Bearer eyJhbGciOi.eyJzdWIi.sig-_')).toEqual({ scheme: 'bearer', token: 'eyJhbGciOi.eyJzdWIi.sig-_' });
    expect(parseAuthorization('bearer   abc==')).toEqual({ scheme: 'bearer', token: 'abc==' });
    expect(parseAuthorization('Bearer a b')).toBeNull();
  });

  it('parses Digest credentials with quoted-pair escapes and token values', () => {
    const parsed = parseAuthorization('Digest username="al\\"ice", realm="r", nonce="n", uri="sip:x", response="abc", nc=00000001, qop=auth, cnonce="c"');
    expect(parsed).toEqual({
      scheme: 'digest',
      credentials: { username: 'al"ice', realm: 'r', nonce: 'n', uri: 'sip:x', response: 'abc', nc: '00000001', qop: 'auth', cnonce: 'c' },
    });
  });

  it('returns null for other schemes, duplicates, missing directives and empty values', () => {
    expect(parseAuthorization('Basic YWxpY2U6cw==')).toBeNull();
    expect(parseAuthorization('Digest username="a", username="b", realm="r", nonce="n", uri="u", response="x"')).toBeNull();
    expect(parseAuthorization('Digest realm="r", nonce="n", uri="u", response="x"')).toBeNull();
    expect(parseAuthorization('')).toBeNull();
    expect(parseAuthorization(undefined)).toBeNull();
  });
});
