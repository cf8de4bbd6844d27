import { describe, expect, it } from 'vitest';
import { type SipRequest, type SipResponse, addHeader, setHeader } from './message.js';
import { parseNameAddr } from './name-addr.js';
import { parseMessage } from './parser.js';
import { canonicalHeaderName, serializeMessage } from './serializer.js';
import { parseUri } from './uri.js';
import { parseVia } from './via.js';

function options(): SipRequest {
  return {
    kind: 'request',
    method: 'OPTIONS',
    uri: parseUri('sip:agent@sambung.example.com'),
    via: [parseVia('SIP/2.0/WSS proxy.example.com;branch=z9hG4bKa'), parseVia('SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKb;rport=5060')],
    from: parseNameAddr('"Bridge" <sip:bridge@sambung.example.com>;tag=b1'),
    to: parseNameAddr('<sip:agent@sambung.example.com>'),
    callId: 'opt.1@bridge',
    cseq: { seq: 12, method: 'OPTIONS' },
    headers: new Map([['max-forwards', ['70']]]),
    body: '',
  };
}

function ringing(): SipResponse {
  const { via, from, to, callId } = options();
  return { kind: 'response', status: 180, reason: 'Ringing', via, from, to, callId, cseq: { seq: 1, method: 'INVITE' }, headers: new Map(), body: '' };
}

describe('serializeMessage', () => {
  it('writes the start line, Vias one per line, From, To, Call-ID, CSeq, other headers, Content-Length, blank line', () => {
    const msg = options();
    addHeader(msg, 'user-agent', 'Sambung/0.1');
    expect(serializeMessage(msg)).toBe(
      [
        'OPTIONS sip:agent@sambung.example.com SIP/2.0',
        'Via: SIP/2.0/WSS proxy.example.com;branch=z9hG4bKa',
        'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKb;rport=5060',
        'From: "Bridge" <sip:bridge@sambung.example.com>;tag=b1',
        'To: <sip:agent@sambung.example.com>',
        'Call-ID: opt.1@bridge',
        'CSeq: 12 OPTIONS',
        'Max-Forwards: 70',
        'User-Agent: Sambung/0.1',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
  });

  it('writes a status line for a response', () => {
    expect(serializeMessage(ringing()).split('\r\n')[0]).toBe('SIP/2.0 180 Ringing');
  });

  it('writes Content-Length as the UTF-8 byte length of the body', () => {
    const msg = options();
    msg.body = '{"name":"Zoë","note":"🚀"}';
    setHeader(msg, 'content-type', 'application/json');
    const text = serializeMessage(msg);
    expect(text).toContain(`\r\nContent-Length: ${Buffer.byteLength(msg.body)}\r\n\r\n${msg.body}`);
    expect(parseMessage(text).body).toBe(msg.body);
  });

  it('joins list headers on one line and writes other repeated headers one line each', () => {
    const msg = options();
    setHeader(msg, 'allow', ['INVITE', 'ACK', 'BYE']);
    setHeader(msg, 'www-authenticate', ['Digest realm="a", nonce="1"', 'Digest realm="b", nonce="2"']);
    const lines = serializeMessage(msg).split('\r\n');
    expect(lines).toContain('Allow: INVITE, ACK, BYE');
    expect(lines.filter((l) => l.startsWith('WWW-Authenticate: '))).toEqual([
      'WWW-Authenticate: Digest realm="a", nonce="1"',
      'WWW-Authenticate: Digest realm="b", nonce="2"',
    ]);
    const again = parseMessage(serializeMessage(msg));
    expect(again.headers.get('allow')).toEqual(['INVITE', 'ACK', 'BYE']);
    expect(again.headers.get('www-authenticate')).toHaveLength(2);
  });

  it('never writes a stray copy of a typed header or of Content-Length from the map', () => {
    const msg = options();
    setHeader(msg, 'content-length', '999');
    setHeader(msg, 'call-id', 'other');
    setHeader(msg, 'via', 'SIP/2.0/UDP evil.example.com');
    const text = serializeMessage(msg);
    expect(text.match(/Content-Length/g)).toHaveLength(1);
    expect(text.match(/Call-ID/g)).toHaveLength(1);
    expect(text).not.toContain('evil');
  });

  it('turns line breaks in values set by code into spaces, so they cannot inject headers', () => {
    const msg = options();
    setHeader(msg, 'subject', 'Help\r\nVia: SIP/2.0/UDP evil.example.com');
    const text = serializeMessage(msg);
    expect(text).toContain('\r\nSubject: Help Via: SIP/2.0/UDP evil.example.com\r\n');
    expect(parseMessage(text).via).toHaveLength(2);
  });

  it('writes a Contact of * as it is', () => {
    const msg = options();
    setHeader(msg, 'contact', '*');
    expect(serializeMessage(msg)).toContain('\r\nContact: *\r\n');
  });

  it.each([
    ['options', options],
    ['ringing', ringing],
  ])('round-trips a built %s message', (_what, build) => {
    const msg = build();
    expect(parseMessage(serializeMessage(msg))).toEqual(msg);
  });
});

describe('canonicalHeaderName', () => {
  it.each([
    ['call-id', 'Call-ID'],
    ['cseq', 'CSeq'],
    ['www-authenticate', 'WWW-Authenticate'],
    ['mime-version', 'MIME-Version'],
    ['content-id', 'Content-ID'],
    ['rack', 'RAck'],
    ['rseq', 'RSeq'],
    ['sip-etag', 'SIP-ETag'],
    ['sip-if-match', 'SIP-If-Match'],
    ['min-se', 'Min-SE'],
    ['user-to-user', 'User-to-User'],
    ['p-associated-uri', 'P-Associated-URI'],
    ['max-forwards', 'Max-Forwards'],
    ['record-route', 'Record-Route'],
    ['p-asserted-identity', 'P-Asserted-Identity'],
    ['x-custom-header', 'X-Custom-Header'],
  ])('spells %s as %s', (key, name) => {
    expect(canonicalHeaderName(key)).toBe(name);
  });
});
