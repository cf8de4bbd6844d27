import { describe, expect, it } from 'vitest';
import { SipParseError } from './parse-error.js';
import { formatUri, parseUri } from './uri.js';

function parseError(text: string): SipParseError {
  try {
    parseUri(text);
  } catch (err) {
    if (err instanceof SipParseError) return err;
    throw err;
  }
  throw new Error(`expected ${text} to be rejected`);
}

describe('parseUri', () => {
  it('reads user, host, port, parameters and headers', () => {
    expect(parseUri('sip:alice@Example.COM:5070;transport=WS;lr;ob?subject=x&priority=urgent')).toEqual({
      scheme: 'sip',
      user: 'alice',
      password: null,
      host: 'example.com',
      port: 5070,
      params: { transport: 'WS', lr: null, ob: null },
      headers: { subject: 'x', priority: 'urgent' },
    });
  });

  it('lower-cases scheme, host and parameter names but keeps the user and values as written', () => {
    const uri = parseUri('SIPS:Alice.Smith@HOST.Example.org;Maddr=Proxy.Example.org');
    expect(uri.scheme).toBe('sips');
    expect(uri.user).toBe('Alice.Smith');
    expect(uri.host).toBe('host.example.org');
    expect(uri.params).toEqual({ maddr: 'Proxy.Example.org' });
  });

  it('reads a host-only URI', () => {
    expect(parseUri('sip:registrar.example.com')).toMatchObject({ user: null, host: 'registrar.example.com', port: null });
  });

  it('reads user and password', () => {
    expect(parseUri('sip:bob:s3cr%65t@example.com')).toMatchObject({ user: 'bob', password: 's3cret' });
    expect(parseUri('sip:bob:@example.com')).toMatchObject({ user: 'bob', password: '' });
  });

  it('unescapes %XX in the user part and in parameters (RFC 4475 §3.1.1.3)', () => {
    const uri = parseUri('sip:sips%3Auser%40example.com@example.net;%6C%72;n%61me=v%61lue%25%34%31');
    expect(uri.user).toBe('sips:user@example.com');
    expect(uri.params).toEqual({ lr: null, name: 'value%41' });
  });

  it('unescapes an escaped NUL in the user part (RFC 4475 §3.1.1.4)', () => {
    expect(parseUri('sip:null-%00-null@example.com').user).toBe('null-\u0000-null');
  });

  it('keeps a semicolon-separated user part whole (RFC 4475 §3.1.1.9)', () => {
    expect(parseUri('sip:user;par=u%40example.net@example.com')).toMatchObject({
      user: 'user;par=u@example.net',
      host: 'example.com',
      params: {},
    });
  });

  it('reads the unusual but legal characters of RFC 4475 §3.1.1.2', () => {
    const uri = parseUri(
      "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com",
    );
    expect(uri.user).toBe("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    expect(uri.password).toBe("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    expect(uri.host).toBe('example.com');
  });

  it('reads IPv6 references with a port and IPv6 parameter values', () => {
    expect(parseUri('sip:alice@[2001:DB8::1]:5061;maddr=[::1]')).toMatchObject({
      host: '[2001:db8::1]',
      port: 5061,
      params: { maddr: '[::1]' },
    });
    expect(parseUri('sip:[::ffff:192.0.2.1]').host).toBe('[::ffff:192.0.2.1]');
  });

  it('lets a repeated parameter keep its last value', () => {
    expect(parseUri('sip:a@b;transport=udp;transport=ws').params).toEqual({ transport: 'ws' });
  });

  it('keeps a __proto__ parameter as plain data', () => {
    const uri = parseUri('sip:a@b;__proto__=x');
    expect(Object.getPrototypeOf(uri.params)).toBe(Object.prototype);
    expect(Object.keys(uri.params)).toEqual(['__proto__']);
    expect(formatUri(uri)).toBe('sip:a@b;__proto__=x');
  });

  it('rejects tel: and other schemes with 416 Unsupported URI Scheme', () => {
    for (const text of ['tel:+1-201-555-0123', 'http://www.example.com', 'soap.beep://192.0.2.103:3002', 'isbn:2983792873']) {
      const err = parseError(text);
      expect(err.status).toBe(416);
      expect(err.reason).toBe('Unsupported URI Scheme');
    }
  });

  it.each([
    ['an empty string', ''],
    ['no scheme', 'alice@example.com'],
    ['no host', 'sip:'],
    ['an empty host after the user', 'sip:alice@'],
    ['an empty user', 'sip:@example.com'],
    ['a port beyond 65535', 'sip:example.com:70000'],
    ['an empty port', 'sip:example.com:'],
    ['a bad escape', 'sip:al%zzice@example.com'],
    ['a truncated escape', 'sip:alice%2@example.com'],
    ['an escape that is not UTF-8', 'sip:%C3@example.com'],
    ['embedded whitespace', 'sip:user@example.com; lr'],
    ['an unterminated IPv6 reference', 'sip:[2001:db8::1'],
    ['a bad IPv6 character', 'sip:[2001:db8::g]'],
    ['an empty parameter name', 'sip:example.com;;lr'],
    ['an empty parameter value', 'sip:example.com;transport='],
    ['a header without a value separator', 'sip:example.com?subject'],
    ['characters after the host', 'sip:example.com>'],
    ['angle brackets', '<sip:example.com>'],
  ])('rejects %s with 400 Malformed URI', (_what, text) => {
    const err = parseError(text);
    expect(err.status).toBe(400);
    expect(err.reason).toBe('Bad Request - Malformed URI');
  });
});

describe('formatUri', () => {
  it('writes every component in RFC 3261 §19.1.1 order', () => {
    expect(
      formatUri({
        scheme: 'sips',
        user: 'alice',
        password: 'pw',
        host: 'example.com',
        port: 5061,
        params: { transport: 'tls', lr: null },
        headers: { subject: 'hello', priority: 'urgent' },
      }),
    ).toBe('sips:alice:pw@example.com:5061;transport=tls;lr?subject=hello&priority=urgent');
  });

  it('escapes what the grammar does not allow literally, including % itself', () => {
    const text = formatUri({
      scheme: 'sip',
      user: 'I have spaces:100%',
      password: null,
      host: 'example.net',
      port: null,
      params: { name: 'a b;c' },
      headers: { subject: 'a&b=c', body: 'é' },
    });
    expect(text).toBe('sip:I%20have%20spaces%3A100%25@example.net;name=a%20b%3Bc?subject=a%26b%3Dc&body=%C3%A9');
  });

  it('brackets a bare IPv6 host', () => {
    expect(
      formatUri({ scheme: 'sip', user: null, password: null, host: '2001:db8::1', port: 5060, params: {}, headers: {} }),
    ).toBe('sip:[2001:db8::1]:5060');
  });

  it.each([
    'sip:alice@example.com',
    'sips:alice:pw@[2001:db8::1]:5061;transport=tls;lr;ob?subject=x&priority=urgent',
    'sip:sips%3Auser%40example.com@example.net;%6C%72;n%61me=v%61lue%25%34%31',
    'sip:null-%00-null@example.com',
    'sip:user;par=u%40example.net@example.com',
    "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com",
    'sip:%E5%A4%A7%E5%81%9C%E9%9B%BB@example.com',
  ])('round-trips %s', (text) => {
    const uri = parseUri(text);
    expect(parseUri(formatUri(uri))).toEqual(uri);
  });
});
