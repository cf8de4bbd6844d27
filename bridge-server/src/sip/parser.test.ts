import { describe, expect, it } from 'vitest';
import { type SipMessage, type SipRequest, type SipResponse, getHeader, getHeaders } from './message.js';
import { parseNameAddr } from './name-addr.js';
import { parseMessage } from './parser.js';
import { serializeMessage } from './serializer.js';

/** Joins lines with CRLF, adds the blank line and the body; Content-Length is computed unless `cl` is given. */
function sip(head: string[], body = '', cl: number | null = Buffer.byteLength(body)): string {
  return `${[...head, ...(cl === null ? [] : [`Content-Length: ${cl}`])].join('\r\n')}\r\n\r\n${body}`;
}

function request(text: string): SipRequest {
  const msg = parseMessage(text);
  if (msg.kind !== 'request') throw new Error('expected a request');
  return msg;
}

function response(text: string): SipResponse {
  const msg = parseMessage(text);
  if (msg.kind !== 'response') throw new Error('expected a response');
  return msg;
}

function roundTrips(msg: SipMessage): void {
  expect(parseMessage(serializeMessage(msg))).toEqual(msg);
}

const SDP = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'm=audio 50712 UDP/TLS/RTP/SAVPF 111 0 8 110',
  'c=IN IP4 203.0.113.7',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=candidate:1467250027 1 udp 2122260223 192.168.1.20 50712 typ host generation 0 network-id 1',
  'a=candidate:842163049 1 udp 1686052607 203.0.113.7 50712 typ srflx raddr 192.168.1.20 rport 50712 generation 0',
  'a=ice-ufrag:8hhY',
  'a=ice-pwd:asd88fgpdd777uzjYhagZg1y',
  'a=fingerprint:sha-256 49:66:12:17:0D:1C:91:AE:57:4C:C6:36:DD:D5:97:D2:7D:62:C9:9A:7F:B9:A3:F4:70:03:EB:1E:BA:C4:E3:E0',
  'a=setup:actpass',
  'a=mid:0',
  'a=sendrecv',
  'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:110 telephone-event/48000',
  '',
].join('\r\n');

const CHROME_INVITE = sip(
  [
    'INVITE sip:support@sambung.example.com SIP/2.0',
    'Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK6471409',
    'Max-Forwards: 69',
    'To: <sip:support@sambung.example.com>',
    'From: "Website visitor" <sip:visitor-8f2a@sambung.example.com>;tag=kk2oqtbjlj',
    'Call-ID: 3snnb1s4uq4tlgf1d7pc',
    'CSeq: 8511 INVITE',
    'Contact: <sip:k3nq7c2m@df7jal23ls0d.invalid;transport=ws;ob>',
    'Content-Type: application/sdp',
    'Session-Expires: 90',
    'Allow: INVITE,ACK,CANCEL,BYE,UPDATE,MESSAGE,OPTIONS,REFER,INFO,NOTIFY',
    'Supported: timer,ice,replaces,outbound',
    'User-Agent: JsSIP 3.10.0',
  ],
  SDP,
);

const JSSIP_REGISTER = sip([
  'REGISTER sip:sambung.example.com SIP/2.0',
  'Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK2382834',
  'Max-Forwards: 69',
  'To: <sip:agent-42@sambung.example.com>',
  'From: <sip:agent-42@sambung.example.com>;tag=d6ne0gbq8c',
  'Call-ID: 8tqbe3h0ffqctk4g5amb6u',
  'CSeq: 1 REGISTER',
  'Contact: <sip:k3nq7c2m@df7jal23ls0d.invalid;transport=ws;ob>;+sip.ice;reg-id=1;+sip.instance="<urn:uuid:2b5d3e4f-1a2b-4c3d-8e9f-0a1b2c3d4e5f>";expires=600',
  'Expires: 600',
  'Allow: INVITE,ACK,CANCEL,BYE,UPDATE,MESSAGE,OPTIONS,REFER,INFO,NOTIFY',
  'Supported: path,gruu,outbound',
  'User-Agent: JsSIP 3.10.0',
]);

const OK_200 = sip(
  [
    'SIP/2.0 200 OK',
    'Via: SIP/2.0/UDP server10.biloxi.example.com;branch=z9hG4bKnashds8;received=192.0.2.3, SIP/2.0/UDP bigbox3.site3.atlanta.example.com;branch=z9hG4bK77ef4c2312983.1;received=192.0.2.2',
    'Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK6471409;rport=50712;received=203.0.113.7',
    'Record-Route: <sip:server10.biloxi.example.com;lr>, <sip:bigbox3.site3.atlanta.example.com;lr>',
    'To: <sip:support@sambung.example.com>;tag=a6c85cf',
    'From: "Website visitor" <sip:visitor-8f2a@sambung.example.com>;tag=kk2oqtbjlj',
    'Call-ID: 3snnb1s4uq4tlgf1d7pc',
    'CSeq: 8511 INVITE',
    'Contact: <sip:agent@192.0.2.4;transport=ws>',
    'Content-Type: application/sdp',
  ],
  SDP,
);

/** RFC 4475 §3.1.1.1 "wsinv", with its LWS, folding, compact forms and case games. */
const WSINV = [
  'INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0',
  'TO :',
  ' sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n',
  'from   : "J Rosenberg \\\\\\""       <sip:jdrosen@example.com>',
  '  ;',
  '  tag = 98asjd8',
  'MaX-fOrWaRdS: 0068',
  'Call-ID: wsinv.ndaksdj@192.0.2.1',
  'Content-Length   : 150',
  'cseq: 0009',
  '  INVITE',
  'Via  : SIP  /   2.0',
  ' /UDP',
  '    192.0.2.2;rport;branch=390skdjuw',
  's :',
  'NewFangledHeader:   newfangled value',
  ' continued newfangled value',
  'UnknownHeaderWithUnusualValue: ;;,,;;,;',
  'Content-Type: application/sdp',
  'Route:',
  ' <sip:services.example.com;lr;unknownwith=value;unknown-no-value>',
  'v:  SIP  / 2.0  / TCP     spindle.example.com   ;',
  '  branch  =   z9hG4bK9ikj8  ,',
  ' SIP  /    2.0   / UDP  192.168.255.111   ; branch=',
  ' z9hG4bK30239',
  'm:"Quoted string \\"\\"" <sip:jdrosen@example.com> ; newparam =',
  '      newvalue ;',
  '  secondparam ; q = 0.33',
  '',
  'v=0',
  'o=mhandley 29739 7272939 IN IP4 192.0.2.3',
  's=-',
  'c=IN IP4 192.0.2.4',
  't=0 0',
  'm=audio 49217 RTP/AVP 0 12',
  'm=video 3227 RTP/AVP 31',
  'a=rtpmap:31 LPC',
  '',
].join('\r\n');

const BASE_REQUEST = [
  'OPTIONS sip:user@example.com SIP/2.0',
  'Via: SIP/2.0/UDP host.example.com;branch=z9hG4bK1',
  'From: <sip:caller@example.net>;tag=1',
  'To: <sip:user@example.com>',
  'Call-ID: base.1@host',
  'CSeq: 1 OPTIONS',
  'Max-Forwards: 70',
];

describe('parseMessage on JsSIP and Chrome traffic', () => {
  it('reads a Chrome INVITE with its SDP', () => {
    const msg = request(CHROME_INVITE);
    expect(msg.method).toBe('INVITE');
    expect(msg.uri).toMatchObject({ user: 'support', host: 'sambung.example.com' });
    expect(msg.via).toEqual([{ transport: 'WSS', host: 'df7jal23ls0d.invalid', port: null, params: { branch: 'z9hG4bK6471409' } }]);
    expect(msg.from.displayName).toBe('Website visitor');
    expect(msg.from.params).toEqual({ tag: 'kk2oqtbjlj' });
    expect(msg.to.params).toEqual({});
    expect(msg.callId).toBe('3snnb1s4uq4tlgf1d7pc');
    expect(msg.cseq).toEqual({ seq: 8511, method: 'INVITE' });
    expect(getHeader(msg, 'max-forwards')).toBe('69');
    expect(getHeaders(msg, 'allow')).toEqual(['INVITE', 'ACK', 'CANCEL', 'BYE', 'UPDATE', 'MESSAGE', 'OPTIONS', 'REFER', 'INFO', 'NOTIFY']);
    expect(getHeaders(msg, 'supported')).toEqual(['timer', 'ice', 'replaces', 'outbound']);
    expect(getHeader(msg, 'user-agent')).toBe('JsSIP 3.10.0');
    expect(parseNameAddr(getHeader(msg, 'contact')!).uri.params).toEqual({ transport: 'ws', ob: null });
    expect(msg.body).toBe(SDP);
    expect(msg.headers.has('content-length')).toBe(false);
    expect(msg.headers.has('via')).toBe(false);
  });

  it('reads a JsSIP REGISTER with outbound Contact parameters', () => {
    const msg = request(JSSIP_REGISTER);
    expect(msg.method).toBe('REGISTER');
    expect(msg.uri).toMatchObject({ user: null, host: 'sambung.example.com' });
    const contact = parseNameAddr(getHeader(msg, 'contact')!);
    expect(contact.uri.params).toEqual({ transport: 'ws', ob: null });
    expect(contact.params).toEqual({
      '+sip.ice': null,
      'reg-id': '1',
      '+sip.instance': '"<urn:uuid:2b5d3e4f-1a2b-4c3d-8e9f-0a1b2c3d4e5f>"',
      expires: '600',
    });
    expect(msg.body).toBe('');
  });

  it('reads a 200 OK with Vias both comma-joined and repeated, in order', () => {
    const msg = response(OK_200);
    expect(msg.status).toBe(200);
    expect(msg.reason).toBe('OK');
    expect(msg.via.map((v) => v.host)).toEqual(['server10.biloxi.example.com', 'bigbox3.site3.atlanta.example.com', 'df7jal23ls0d.invalid']);
    expect(msg.via[2]!.params).toEqual({ branch: 'z9hG4bK6471409', rport: '50712', received: '203.0.113.7' });
    expect(getHeaders(msg, 'record-route')).toEqual(['<sip:server10.biloxi.example.com;lr>', '<sip:bigbox3.site3.atlanta.example.com;lr>']);
    expect(msg.to.params.tag).toBe('a6c85cf');
    expect(msg.headers.has('max-forwards')).toBe(false);
  });

  it.each([
    ['a Chrome INVITE', CHROME_INVITE],
    ['a JsSIP REGISTER', JSSIP_REGISTER],
    ['a 200 OK with SDP', OK_200],
    ['the RFC 4475 wsinv torture message', WSINV],
  ])('round-trips %s: parse, serialize, parse gives the same model', (_what, text) => {
    roundTrips(parseMessage(text));
  });
});

describe('parseMessage, RFC 4475 torture tests', () => {
  it('reads wsinv: folding, LWS around colons and slashes, compact forms, mixed-case names (§3.1.1.1)', () => {
    const msg = request(WSINV);
    expect(msg.uri.params).toEqual({ unknownparam: null });
    expect(msg.to.uri.user).toBe('vivekg');
    expect(msg.to.params).toEqual({ tag: '1918181833n' });
    expect(msg.from.displayName).toBe('J Rosenberg \\"');
    expect(msg.from.params).toEqual({ tag: '98asjd8' });
    expect(getHeader(msg, 'max-forwards')).toBe('0068');
    expect(msg.cseq).toEqual({ seq: 9, method: 'INVITE' });
    expect(msg.via.map((v) => [v.transport, v.host, v.params.branch])).toEqual([
      ['UDP', '192.0.2.2', '390skdjuw'],
      ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
      ['UDP', '192.168.255.111', 'z9hG4bK30239'],
    ]);
    expect(getHeader(msg, 'subject')).toBe('');
    expect(getHeader(msg, 'newfangledheader')).toBe('newfangled value continued newfangled value');
    expect(getHeader(msg, 'unknownheaderwithunusualvalue')).toBe(';;,,;;,;');
    expect(getHeaders(msg, 'route')).toEqual(['<sip:services.example.com;lr;unknownwith=value;unknown-no-value>']);
    const contact = parseNameAddr(getHeader(msg, 'contact')!);
    expect(contact.displayName).toBe('Quoted string ""');
    expect(contact.params).toEqual({ newparam: 'newvalue', secondparam: null, q: '0.33' });
    expect(Buffer.byteLength(msg.body)).toBe(150);
  });

  it('reads the wide range of valid characters of intmeth (§3.1.1.2)', () => {
    const method = "!interesting-Method0123456789_*+`.%indeed'~";
    const msg = request(
      sip([
        `${method} sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com SIP/2.0`,
        "Via: SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~",
        'To: "BEL:\\\u0007 NUL:\\\u0000 DEL:\\\u007f" <sip:1_unusual.URI~(to-be!sure)&isn\'t+it$/crazy?,/;;*@example.com>',
        "From: token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%=\"работающий\";tag=_token~1'+`*%!-.",
        'Call-ID: intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{',
        `CSeq: 139122385 ${method}`,
        'Max-Forwards: 255',
        "extensionHeader-!.%*+_`'~:\ufeff大停電",
      ]),
    );
    expect(msg.method).toBe(method);
    expect(msg.uri.password).toBe("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    expect(msg.to.displayName).toBe('BEL:\u0007 NUL:\u0000 DEL:\u007f');
    expect(msg.from.displayName).toBe("token1~` token2'+_ token3*%!.-");
    expect(msg.callId).toBe('intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
    expect(getHeader(msg, "extensionheader-!.%*+_`'~")).toBe('\ufeff大停電');
    roundTrips(msg);
  });

  it('unescapes the URIs of esc01 (§3.1.1.3) and keeps % in a method (§3.1.1.5)', () => {
    const msg = request(
      sip([
        'RE%47IST%45R sip:sips%3Auser%40example.com@example.net SIP/2.0',
        'To: sip:%75se%72@example.com',
        'From: <sip:I%20have%20spaces@example.net>;tag=938',
        'i: esc01.239409asdfakjkn23onasd0-3234',
        'CSeq: 234234 RE%47IST%45R',
        'Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bKkdjuw',
      ]),
    );
    expect(msg.method).toBe('RE%47IST%45R');
    expect(msg.uri.user).toBe('sips:user@example.com');
    expect(msg.to.uri.user).toBe('user');
    expect(msg.from.uri.user).toBe('I have spaces');
    roundTrips(msg);
  });

  it('accepts an unusual UTF-8 reason phrase and an empty one (§3.1.1.12, §3.1.1.13)', () => {
    const head = ['Via: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923', 'Call-ID: unreason.1234ksdfak3j2erwedfsASdf', 'CSeq: 35 INVITE', 'From: sip:user@example.com;tag=11141343', 'To: sip:user@example.edu;tag=2229'];
    expect(response(sip(['SIP/2.0 200 = 2**3 * 5**2 но сто девяносто девять - простое', ...head])).reason).toBe(
      '= 2**3 * 5**2 но сто девяносто девять - простое',
    );
    expect(response(sip(['SIP/2.0 100 ', ...head])).reason).toBe('');
  });

  it('keeps a Date with an invalid time zone as text (§3.1.2.12)', () => {
    const msg = request(sip([...BASE_REQUEST, 'Date: Fri, 01 Jan 2010 16:00:00 EST']));
    expect(getHeader(msg, 'date')).toBe('Fri, 01 Jan 2010 16:00:00 EST');
  });
});

describe('parseMessage, framing and header rules', () => {
  it('accepts bare LF line ends', () => {
    const msg = request(CHROME_INVITE.replace(/\r\n/g, '\n').replace(/Content-Length: \d+/, `Content-Length: ${Buffer.byteLength(SDP.replace(/\r\n/g, '\n'))}`));
    expect(msg.body).toBe(SDP.replace(/\r\n/g, '\n'));
    expect(getHeaders(msg, 'allow')).toHaveLength(10);
  });

  it('ignores CRLFs before the start line (RFC 3261 §7.5)', () => {
    expect(request(`\r\n\r\n${sip(BASE_REQUEST)}`).method).toBe('OPTIONS');
  });

  it('accepts the SIP-Version in any case', () => {
    expect(request(sip([BASE_REQUEST[0]!.replace('SIP/2.0', 'sip/2.0'), ...BASE_REQUEST.slice(1)])).method).toBe('OPTIONS');
    expect(response(sip(['Sip/2.0 180 Ringing', ...BASE_REQUEST.slice(1)])).status).toBe(180);
  });

  it('expands every compact form (RFC 3261 §7.3.3)', () => {
    const msg = request(
      sip([
        'INVITE sip:user@example.com SIP/2.0',
        'v: SIP/2.0/UDP host.example.com;branch=z9hG4bK1',
        'f: <sip:caller@example.net>;tag=1',
        't: <sip:user@example.com>',
        'i: compact.1@host',
        'CSeq: 1 INVITE',
        'm: <sip:caller@192.0.2.1>',
        'c: application/sdp',
        'k: 100rel, timer',
        's: hello, world',
        'e: gzip',
        'o: presence',
        'r: <sip:target@example.com>',
        'b: <sip:referrer@example.com>',
        'u: presence, dialog',
        'x: 1800;refresher=uac',
      ], 'v=0\r\n', null).replace('\r\n\r\n', '\r\nl: 5\r\n\r\n'),
    );
    expect(msg.callId).toBe('compact.1@host');
    expect(msg.from.params.tag).toBe('1');
    expect([...msg.headers.keys()]).toEqual([
      'contact', 'content-type', 'supported', 'subject', 'content-encoding', 'event', 'refer-to', 'referred-by',
      'allow-events', 'session-expires', 'max-forwards',
    ]);
    expect(getHeaders(msg, 'supported')).toEqual(['100rel', 'timer']);
    expect(getHeader(msg, 'subject')).toBe('hello, world');
    expect(msg.body).toBe('v=0\r\n');
  });

  it('reads header names in any case with whitespace around the colon', () => {
    const msg = request(sip([...BASE_REQUEST, 'SUBJECT   :  lunch?', 'x-CUSTOM-header:\tvalue  ']));
    expect(getHeader(msg, 'subject')).toBe('lunch?');
    expect(getHeader(msg, 'X-Custom-Header')).toBe('value');
  });

  it('joins folded continuation lines with a single space (RFC 3261 §7.3.1)', () => {
    const msg = request(sip([...BASE_REQUEST, 'Subject: one', ' \t two', '\tthree   ', 'Warning: 370 devnull "a,', '  b"']));
    expect(getHeader(msg, 'subject')).toBe('one two three');
    expect(getHeaders(msg, 'warning')).toEqual(['370 devnull "a, b"']);
  });

  it('gives list headers one entry per value, whether comma-joined or repeated', () => {
    const msg = request(sip([...BASE_REQUEST, 'Supported: timer, 100rel', 'Supported: outbound', 'Route: <sip:a.example.com;lr>, <sip:b.example.com;lr>', 'Route: <sip:c.example.com;lr>', 'Accept: application/sdp;level=1, application/x-private']));
    expect(getHeaders(msg, 'supported')).toEqual(['timer', '100rel', 'outbound']);
    expect(getHeaders(msg, 'route')).toEqual(['<sip:a.example.com;lr>', '<sip:b.example.com;lr>', '<sip:c.example.com;lr>']);
    expect(getHeaders(msg, 'accept')).toEqual(['application/sdp;level=1', 'application/x-private']);
  });

  it('keeps whole the values of single headers that may hold commas', () => {
    const challenge = 'Digest realm="sambung", nonce="a,b", qop="auth,auth-int", algorithm=MD5';
    const msg = request(sip([...BASE_REQUEST, `WWW-Authenticate: ${challenge}`, `Authorization: ${challenge}`, 'Date: Sat, 13 Nov 2010 23:29:00 GMT', 'User-Agent: Foo/1.0 (X11, Linux)', 'X-Extension: a, b, c', 'Retry-After: 18000;duration=3600, (lunch)']));
    expect(getHeaders(msg, 'www-authenticate')).toEqual([challenge]);
    expect(getHeaders(msg, 'authorization')).toEqual([challenge]);
    expect(getHeaders(msg, 'date')).toEqual(['Sat, 13 Nov 2010 23:29:00 GMT']);
    expect(getHeaders(msg, 'user-agent')).toEqual(['Foo/1.0 (X11, Linux)']);
    expect(getHeaders(msg, 'x-extension')).toEqual(['a, b, c']);
    expect(getHeaders(msg, 'retry-after')).toEqual(['18000;duration=3600, (lunch)']);
  });

  it('keeps a Contact of * as the raw value', () => {
    const msg = request(sip(['REGISTER sip:example.com SIP/2.0', ...BASE_REQUEST.slice(1, 5), 'CSeq: 2 REGISTER', 'Contact: *', 'Expires: 0']));
    expect(getHeaders(msg, 'contact')).toEqual(['*']);
  });

  it('keeps an empty Supported as one empty value', () => {
    expect(getHeaders(request(sip([...BASE_REQUEST, 'Supported:'])), 'supported')).toEqual(['']);
  });

  it('defaults a missing Max-Forwards to 70 instead of rejecting the request (RFC 3261 §8.1.1.6)', () => {
    expect(getHeader(request(sip(BASE_REQUEST.filter((l) => !l.startsWith('Max-Forwards')))), 'max-forwards')).toBe('70');
  });

  it('reads IPv6 everywhere', () => {
    const msg = request(
      sip(['OPTIONS sip:[2001:db8::10]:5070 SIP/2.0', 'Via: SIP/2.0/UDP [2001:db8::9:1]:5070;branch=z9hG4bKas3-111;received=2001:db8::9:255', 'From: <sip:user@[2001:db8::9:1]>;tag=1', 'To: <sip:user@[2001:db8::10]>', 'Call-ID: v6.1@[2001:db8::9:1]', 'CSeq: 1 OPTIONS', 'Contact: <sip:user@[2001:db8::9:1];transport=udp>']),
    );
    expect(msg.uri).toMatchObject({ host: '[2001:db8::10]', port: 5070 });
    expect(msg.via[0]).toMatchObject({ host: '[2001:db8::9:1]', port: 5070 });
    roundTrips(msg);
  });

  it('discards bytes beyond Content-Length (RFC 3261 §18.3)', () => {
    const msg = request(`${sip(BASE_REQUEST, 'abc')}extra bytes, maybe a second request`);
    expect(msg.body).toBe('abc');
  });

  it('takes the rest of the text as the body when there is no Content-Length', () => {
    expect(request(sip(BASE_REQUEST, 'v=0\r\n', null)).body).toBe('v=0\r\n');
  });

  it('counts Content-Length in UTF-8 bytes for a multi-byte body', () => {
    const body = '{"name":"Zoë Ångström","note":"大停電 🚀"}';
    expect(request(sip(BASE_REQUEST, body)).body).toBe(body);
    expect(request(`${sip(BASE_REQUEST, body)}tail ☃`).body).toBe(body);
    expect(request(sip(BASE_REQUEST, `${body}ignored`, Buffer.byteLength(body))).body).toBe(body);
  });

  it('accepts a message that ends without the blank line', () => {
    expect(request(BASE_REQUEST.join('\r\n')).body).toBe('');
  });
});
