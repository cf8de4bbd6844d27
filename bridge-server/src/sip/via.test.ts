import { describe, expect, it } from 'vitest';
import { SipParseError } from './parse-error.js';
import { formatVia, parseVia } from './via.js';

describe('parseVia', () => {
  it('reads a browser Via over WSS with branch, rport and received', () => {
    expect(parseVia('SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK6471409;rport;received=192.0.2.7')).toEqual({
      transport: 'WSS',
      host: 'df7jal23ls0d.invalid',
      port: null,
      params: { branch: 'z9hG4bK6471409', rport: null, received: '192.0.2.7' },
    });
  });

  it('reads a port and an rport value', () => {
    expect(parseVia('SIP/2.0/UDP pc33.example.com:5066;rport=5066;branch=z9hG4bK776asdhds')).toMatchObject({
      host: 'pc33.example.com',
      port: 5066,
      params: { rport: '5066', branch: 'z9hG4bK776asdhds' },
    });
  });

  it('accepts LWS around / ; = and : (RFC 3261 §25 SLASH, SEMI, EQUAL, COLON; RFC 4475 §3.1.1.1)', () => {
    expect(parseVia('SIP  /   2.0 /UDP 192.0.2.2;rport;branch=390skdjuw')).toMatchObject({
      transport: 'UDP',
      host: '192.0.2.2',
      params: { rport: null, branch: '390skdjuw' },
    });
    expect(parseVia('SIP  / 2.0  / TCP     spindle.example.com   ;   branch  =   z9hG4bK9ikj8')).toMatchObject({
      transport: 'TCP',
      host: 'spindle.example.com',
      params: { branch: 'z9hG4bK9ikj8' },
    });
    expect(parseVia('SIP/2.0/UDP host.example.com : 5060 ; branch= z9hG4bK30239')).toMatchObject({ port: 5060 });
  });

  it('compares the protocol case-insensitively and upper-cases the transport', () => {
    expect(parseVia('sip/2.0/wss Host.Example.COM;branch=z9hG4bKx')).toMatchObject({ transport: 'WSS', host: 'host.example.com' });
  });

  it('accepts unknown transports (RFC 4475 §3.1.1.10)', () => {
    expect(parseVia('SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKkdjuw4').transport).toBe('UNKNOWN');
  });

  it('reads IPv6 sent-by and received values', () => {
    expect(parseVia('SIP/2.0/UDP [2001:DB8::9:1]:5070;branch=z9hG4bKas3-111;received=2001:db8::9:255')).toEqual({
      transport: 'UDP',
      host: '[2001:db8::9:1]',
      port: 5070,
      params: { branch: 'z9hG4bKas3-111', received: '2001:db8::9:255' },
    });
  });

  it('reads the unusual token characters of RFC 4475 §3.1.1.2 in a branch', () => {
    expect(parseVia("SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~").params.branch).toBe("z9hG4bK-.!%66*_+`'~");
  });

  it.each([
    ['another SIP version', 'SIP/3.0/UDP host.example.com'],
    ['another protocol', 'HTTP/2.0/TCP host.example.com'],
    ['a missing transport', 'SIP/2.0/ host.example.com'],
    ['no LWS before sent-by', 'SIP/2.0/UDPhost.example.com'],
    ['a missing host', 'SIP/2.0/UDP ;branch=z9hG4bK1'],
    ['a bad port', 'SIP/2.0/UDP host.example.com:99999'],
    ['junk after the parameters', 'SIP/2.0/UDP host.example.com;branch=z9hG4bK1 junk'],
    ['a comma-joined second Via', 'SIP/2.0/UDP a.example.com, SIP/2.0/UDP b.example.com'],
    ['an empty value', ''],
  ])('rejects %s with 400 Malformed Via', (_what, text) => {
    let err: unknown;
    try {
      parseVia(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SipParseError);
    expect((err as SipParseError).reason).toBe('Bad Request - Malformed Via');
  });
});

describe('formatVia', () => {
  it('writes SIP/2.0/<TRANSPORT> host[:port];params', () => {
    expect(formatVia({ transport: 'WSS', host: 'proxy.example.com', port: 443, params: { branch: 'z9hG4bKa', rport: null } })).toBe(
      'SIP/2.0/WSS proxy.example.com:443;branch=z9hG4bKa;rport',
    );
  });

  it('brackets a bare IPv6 host', () => {
    expect(formatVia({ transport: 'UDP', host: '2001:db8::1', port: null, params: {} })).toBe('SIP/2.0/UDP [2001:db8::1]');
  });

  it.each([
    'SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK6471409;rport;received=192.0.2.7',
    'SIP  / 2.0  / TCP     spindle.example.com   ;   branch  =   z9hG4bK9ikj8',
    'SIP/2.0/UDP [2001:db8::9:1]:5070;branch=z9hG4bKas3-111;received=2001:db8::9:255',
    'SIP/2.0/TLS host;maddr=[::1];x="quoted value"',
  ])('round-trips %s', (text) => {
    const via = parseVia(text);
    expect(parseVia(formatVia(via))).toEqual(via);
  });
});
