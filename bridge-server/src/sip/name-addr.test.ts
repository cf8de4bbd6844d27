import { describe, expect, it } from 'vitest';
import type { NameAddr } from './message.js';
import { formatNameAddr, parseNameAddr, splitHeaderList } from './name-addr.js';
import { SipParseError } from './parse-error.js';
import { parseUri } from './uri.js';

function rejects(text: string): SipParseError {
  try {
    parseNameAddr(text);
  } catch (err) {
    if (err instanceof SipParseError) return err;
    throw err;
  }
  throw new Error(`expected ${text} to be rejected`);
}

describe('parseNameAddr', () => {
  it('reads a quoted display name, the URI and header parameters', () => {
    expect(parseNameAddr('"Website visitor" <sip:visitor@example.com;transport=ws>;tag=kk2oqtbjlj')).toEqual({
      displayName: 'Website visitor',
      uri: parseUri('sip:visitor@example.com;transport=ws'),
      params: { tag: 'kk2oqtbjlj' },
    });
  });

  it('resolves \\" and \\\\ in a quoted display name (RFC 4475 §3.1.1.1)', () => {
    expect(parseNameAddr('"J Rosenberg \\\\\\"" <sip:jdrosen@example.com>').displayName).toBe('J Rosenberg \\"');
    expect(parseNameAddr('"Quoted string \\"\\"" <sip:jdrosen@example.com>').displayName).toBe('Quoted string ""');
  });

  it('resolves escaped control characters in a display name (RFC 4475 §3.1.1.2)', () => {
    expect(parseNameAddr('"BEL:\\\u0007 NUL:\\\u0000 DEL:\\\u007f" <sip:a@example.com>').displayName).toBe(
      'BEL:\u0007 NUL:\u0000 DEL:\u007f',
    );
  });

  it('keeps an empty quoted display name as an empty string', () => {
    expect(parseNameAddr('"" <sip:a@example.com>').displayName).toBe('');
  });

  it('reads an unquoted token display name, collapsing its LWS to single spaces', () => {
    expect(parseNameAddr("token1~` token2'+_  \t token3*%!.- <sip:mundane@example.com>").displayName).toBe(
      "token1~` token2'+_ token3*%!.-",
    );
  });

  it('reads a display name with no LWS before < (RFC 4475 §3.1.1.6)', () => {
    expect(parseNameAddr('caller<sip:caller@example.com>;tag=323')).toMatchObject({
      displayName: 'caller',
      params: { tag: '323' },
    });
  });

  it('reads <uri> with no display name, keeping URI parameters in the URI', () => {
    const na = parseNameAddr('<sip:proxy.example.com;lr>');
    expect(na.displayName).toBeNull();
    expect(na.uri.params).toEqual({ lr: null });
    expect(na.params).toEqual({});
  });

  it('treats ;params after a bare addr-spec as header parameters (RFC 3261 §20.10)', () => {
    const na = parseNameAddr('sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n');
    expect(na.displayName).toBeNull();
    expect(na.uri.params).toEqual({});
    expect(na.params).toEqual({ tag: '1918181833n' });
  });

  it('allows LWS around ; and = in header parameters', () => {
    const na = parseNameAddr('"Quoted string \\"\\"" <sip:jdrosen@example.com> ; newparam = newvalue ; secondparam ; q = 0.33');
    expect(na.params).toEqual({ newparam: 'newvalue', secondparam: null, q: '0.33' });
  });

  it('keeps quoted parameter values with their quotes and lower-cases parameter names', () => {
    const na = parseNameAddr(
      '<sip:k3nq7c2m@df7jal23ls0d.invalid;transport=ws;ob>;+sip.ICE;Reg-Id=1;+sip.instance="<urn:uuid:2b5d3e4f-1a2b-4c3d-8e9f-0a1b2c3d4e5f>";expires=600',
    );
    expect(na.uri.params).toEqual({ transport: 'ws', ob: null });
    expect(na.params).toEqual({
      '+sip.ice': null,
      'reg-id': '1',
      '+sip.instance': '"<urn:uuid:2b5d3e4f-1a2b-4c3d-8e9f-0a1b2c3d4e5f>"',
      expires: '600',
    });
  });

  it('reads a UTF-8 quoted parameter value', () => {
    expect(parseNameAddr('<sip:mundane@example.com>;fromParam\'\'~+*_!.-%="работающий";tag=_token~1\'+`*%!-.').params).toEqual({
      "fromparam''~+*_!.-%": '"работающий"',
      tag: "_token~1'+`*%!-.",
    });
  });

  it('reads an IPv6 URI', () => {
    expect(parseNameAddr('<sip:[2001:db8::10]:5070>').uri).toMatchObject({ host: '[2001:db8::10]', port: 5070 });
  });

  it.each([
    ['the Contact wildcard', '*'],
    ['an empty value', ''],
    ['an unterminated quoted display name (RFC 4475 §3.1.2.6)', '"Mr. J. User <sip:j.user@example.com>'],
    ['a missing >', '<sip:a@example.com'],
    ['a display name with no URI', 'Alice'],
    ['non-token characters in a display name (RFC 4475 §3.1.2.15)', 'Bell, Alexander <sip:a.g.bell@example.com>'],
    ['spaces inside the brackets (RFC 4475 §3.1.2.14)', '"Watson, Thomas" < sip:t.watson@example.org >'],
    ['URI headers in a bare addr-spec (RFC 4475 §3.1.2.13)', 'sip:user@example.com?Route=%3Csip:sip.example.com%3E'],
    ['junk after the parameters', '<sip:a@example.com>;tag=1 junk'],
    ['a parameter without a name', '<sip:a@example.com>;=1'],
    ['an empty parameter value', '<sip:a@example.com>;tag='],
    ['an unterminated quoted parameter value', '<sip:a@example.com>;x="abc'],
  ])('rejects %s with 400', (_what, text) => {
    expect(rejects(text).status).toBe(400);
  });

  it('passes on the 416 of a URI with another scheme, for the caller to word', () => {
    expect(rejects('<tel:+12015550123>').status).toBe(416);
  });
});

describe('formatNameAddr', () => {
  const uri = parseUri('sip:alice@example.com;transport=ws');

  it('always writes angle brackets and a quoted display name', () => {
    expect(formatNameAddr({ displayName: 'Alice', uri, params: { tag: 'abc' } })).toBe(
      '"Alice" <sip:alice@example.com;transport=ws>;tag=abc',
    );
    expect(formatNameAddr({ displayName: null, uri, params: { lr: null } })).toBe('<sip:alice@example.com;transport=ws>;lr');
  });

  it('escapes quotes, backslashes and control characters in a display name', () => {
    expect(formatNameAddr({ displayName: 'a "b" \\ c\u0007', uri, params: {} })).toBe(
      '"a \\"b\\" \\\\ c\\\u0007" <sip:alice@example.com;transport=ws>',
    );
  });

  it('turns CR and LF in a display name into spaces, so a visitor cannot inject a header', () => {
    const text = formatNameAddr({ displayName: 'Eve\r\nVia: SIP/2.0/UDP evil', uri, params: {} });
    expect(text).not.toMatch(/[\r\n]/);
    expect(parseNameAddr(text).displayName).toBe('Eve  Via: SIP/2.0/UDP evil');
  });

  it('quotes a parameter value that is neither a token, a host nor already quoted', () => {
    expect(formatNameAddr({ displayName: null, uri, params: { note: 'two words', v6: '[::1]', q: '"x"' } })).toBe(
      '<sip:alice@example.com;transport=ws>;note="two words";v6=[::1];q="x"',
    );
  });

  it.each([
    '"J Rosenberg \\\\\\"" <sip:jdrosen@example.com>;tag=98asjd8',
    'sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n',
    '<sip:k3nq7c2m@df7jal23ls0d.invalid;transport=ws;ob>;+sip.ice;reg-id=1;+sip.instance="<urn:uuid:2b5d>";expires=600',
    '"BEL:\\\u0007 NUL:\\\u0000 DEL:\\\u007f" <sip:1_unusual.URI~(to-be!sure)&isn\'t+it$/crazy?,/;;*@example.com>',
    '"Ünïcødé 大停電" <sips:[2001:db8::1]:5061>',
  ])('round-trips %s', (text) => {
    const na: NameAddr = parseNameAddr(text);
    expect(parseNameAddr(formatNameAddr(na))).toEqual(na);
  });
});

describe('splitHeaderList', () => {
  it('splits at top-level commas and trims LWS', () => {
    expect(splitHeaderList('INVITE,ACK , CANCEL,\tBYE')).toEqual(['INVITE', 'ACK', 'CANCEL', 'BYE']);
  });

  it('does not split inside quotes or angle brackets', () => {
    expect(
      splitHeaderList('"Watson, Thomas" <sip:a@b;x=1,2>;p="a,\\"b", <sip:c@d?h=1,2>, sip:e@f'),
    ).toEqual(['"Watson, Thomas" <sip:a@b;x=1,2>;p="a,\\"b"', '<sip:c@d?h=1,2>', 'sip:e@f']);
  });

  it('returns a single value unchanged and skips empty elements', () => {
    const value = '<sip:a@example.com>;expires=60';
    expect(splitHeaderList(value)[0]).toBe(value);
    expect(splitHeaderList(' a,, ,b ')).toEqual(['a', 'b']);
    expect(splitHeaderList('')).toEqual([]);
  });

  it('keeps the rest of the value together after an unterminated quote or bracket', () => {
    expect(splitHeaderList('a, "b, c')).toEqual(['a', '"b, c']);
    expect(splitHeaderList('a, <sip:b, c')).toEqual(['a', '<sip:b, c']);
  });
});
