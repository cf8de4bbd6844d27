import { describe, expect, it } from 'vitest';
import { SipError } from '../errors.js';
import { type SipResponse, getHeader } from './message.js';
import { SipParseError } from './parse-error.js';
import { parseMessage } from './parser.js';

const HEAD = {
  start: 'INVITE sip:user@example.com SIP/2.0',
  via: 'Via: SIP/2.0/UDP host.example.com;branch=z9hG4bK1',
  from: 'From: "Caller" <sip:caller@example.net>;tag=f1',
  to: 'To: <sip:user@example.com>',
  callId: 'Call-ID: err.1@host',
  cseq: 'CSeq: 7 INVITE',
  maxForwards: 'Max-Forwards: 70',
};

const VIA2 = 'Via: SIP/2.0/TCP proxy.example.com:5061;branch=z9hG4bK2;received=192.0.2.9';

type Part = keyof typeof HEAD;

/** A request built from HEAD with some lines replaced or dropped, then the blank line and `body`. */
function request(change: Partial<Record<Part, string | null>> = {}, extra: string[] = [], body = ''): string {
  const lines = (Object.keys(HEAD) as Part[])
    .map((k) => (k in change ? change[k] : HEAD[k]))
    .filter((l): l is string => l !== null);
  return `${[...lines, ...extra].join('\r\n')}\r\n\r\n${body}`;
}

function failure(text: string, options?: { maxBytes?: number }): SipParseError {
  try {
    parseMessage(text, options);
  } catch (err) {
    if (err instanceof SipParseError) return err;
    throw err;
  }
  throw new Error('expected the message to be rejected');
}

/** The error response, parsed back: it must itself be a valid SIP response. */
function answer(err: SipParseError): SipResponse {
  const text = err.errorResponse();
  expect(text).not.toBeNull();
  const msg = parseMessage(text!);
  if (msg.kind !== 'response') throw new Error('expected a response');
  return msg;
}

describe('SipParseError', () => {
  it('is a SipError with a stable code per status', () => {
    const bad = SipParseError.badRequest('Missing Call-ID');
    expect(bad).toBeInstanceOf(SipError);
    expect([bad.code, bad.status, bad.reason]).toEqual(['SIP_PARSE', 400, 'Bad Request - Missing Call-ID']);
    expect([SipParseError.tooLarge().code, SipParseError.tooLarge().status]).toEqual(['SIP_TOO_LARGE', 513]);
    expect(SipParseError.unsupportedUriScheme().status).toBe(416);
    expect(SipParseError.versionNotSupported().status).toBe(505);
  });

  it('has no error response when nothing was readable', () => {
    expect(SipParseError.badRequest('Malformed Request-Line').errorResponse()).toBeNull();
  });

  it('keeps status, reason and the original as cause when parts are attached', () => {
    const original = SipParseError.badRequest('Malformed Via');
    const withParts = original.withParts({ kind: null, method: null, via: [], from: null, to: null, callId: null, cseq: null, toHasTag: false });
    expect([withParts.status, withParts.reason, withParts.cause]).toEqual([400, 'Bad Request - Malformed Via', original]);
  });

  it('answers a request with status, every Via, From, To with a tag added, Call-ID, CSeq and Content-Length 0', () => {
    const err = failure(request({ cseq: 'CSeq: 7 BYE' }, [VIA2]));
    expect(err.errorResponse()).toMatch(
      /^SIP\/2\.0 400 Bad Request - CSeq method mismatch\r\nVia: SIP\/2\.0\/UDP host\.example\.com;branch=z9hG4bK1\r\nVia: SIP\/2\.0\/TCP proxy\.example\.com:5061;branch=z9hG4bK2;received=192\.0\.2\.9\r\nFrom: "Caller" <sip:caller@example\.net>;tag=f1\r\nTo: <sip:user@example\.com>;tag=[0-9a-f]{16}\r\nCall-ID: err\.1@host\r\nCSeq: 7 BYE\r\nContent-Length: 0\r\n\r\n$/,
    );
  });

  it('gives the same To tag to a retransmission, as a stateless UAS must (RFC 3261 §8.2.7)', () => {
    const text = request({ cseq: 'CSeq: 7 BYE' });
    expect(failure(text).errorResponse()).toBe(failure(text).errorResponse());
  });

  it('keeps the To tag the request already had', () => {
    const res = answer(failure(request({ to: 'To: <sip:user@example.com>;tag=t9', cseq: 'CSeq: 7 BYE' })));
    expect(res.to.params).toEqual({ tag: 't9' });
  });
});

describe('parseMessage errors', () => {
  it.each([
    ['garbage', 'hello world'],
    ['an empty message', ''],
    ['a method that is not a token', 'INV@ITE sip:user@example.com SIP/2.0'],
    ['a missing Request-URI', 'INVITE SIP/2.0'],
    ['a malformed version', 'INVITE sip:user@example.com HTTP/1.1'],
  ])('rejects a request line with %s as 400, with no response to send', (_what, start) => {
    const err = failure(request({ start }));
    expect(err.status).toBe(400);
    expect(err.reason).toBe('Bad Request - Malformed Request-Line');
    expect(err.errorResponse()).toBeNull();
  });

  it.each([
    ['embedded LWS (RFC 4475 §3.1.2.8)', 'INVITE sip:user@example.com; lr SIP/2.0'],
    ['<> around it (RFC 4475 §3.1.2.7)', 'INVITE <sip:user@example.com> SIP/2.0'],
    ['multiple SP around it (RFC 4475 §3.1.2.9)', 'INVITE  sip:user@example.com  SIP/2.0'],
    ['escaped headers (RFC 4475 §3.1.2.11)', 'INVITE sip:user@example.com?Route=%3Csip:example.com%3E SIP/2.0'],
    ['a bad port', 'INVITE sip:user@example.com:99999 SIP/2.0'],
  ])('rejects a Request-URI with %s as 400 and answers it', (_what, start) => {
    const err = failure(request({ start }));
    expect(err.reason).toBe('Bad Request - Malformed Request-URI');
    expect(answer(err).status).toBe(400);
  });

  it('answers a tel: or unknown-scheme Request-URI with 416 (RFC 3261 §8.2.2.1)', () => {
    for (const start of ['INVITE tel:+12015550123 SIP/2.0', 'INVITE nobodyKnowsThisScheme:totallyopaquecontent SIP/2.0']) {
      const err = failure(request({ start }));
      expect([err.status, err.reason]).toEqual([416, 'Unsupported URI Scheme']);
      expect(answer(err)).toMatchObject({ status: 416, reason: 'Unsupported URI Scheme', callId: 'err.1@host' });
    }
  });

  it('answers another SIP version with 505 (RFC 4475 §3.1.2.16)', () => {
    const err = failure(request({ start: 'INVITE sip:user@example.com SIP/7.0' }));
    expect([err.status, err.reason]).toEqual([505, 'Version Not Supported']);
    expect(answer(err).status).toBe(505);
  });

  it.each([
    ['an overlarge status code (RFC 4475 §3.1.2.19)', 'SIP/2.0 4294967301 better not break the receiver'],
    ['a two-digit status code', 'SIP/2.0 99 Too Low'],
    ['a status code above 699', 'SIP/2.0 700 Too High'],
    ['no space after the code', 'SIP/2.0 200OK'],
    ['another version', 'SIP/3.0 200 OK'],
  ])('rejects a status line with %s and never answers a response', (_what, start) => {
    const err = failure(request({ start, maxForwards: null }));
    expect(err.errorResponse()).toBeNull();
  });

  it.each([
    ['via', 'Missing Via'],
    ['from', 'Missing From'],
    ['to', 'Missing To'],
    ['callId', 'Missing Call-ID'],
    ['cseq', 'Missing CSeq'],
  ] as const)('rejects a request without %s as 400 and cannot answer it', (part, reason) => {
    const err = failure(request({ [part]: null }));
    expect([err.status, err.reason]).toEqual([400, `Bad Request - ${reason}`]);
    expect(err.errorResponse()).toBeNull();
  });

  it('rejects a response missing a mandatory header without answering', () => {
    expect(failure(request({ start: 'SIP/2.0 200 OK', callId: null })).reason).toBe('Bad Request - Missing Call-ID');
  });

  it.each([
    ['a non-numeric number', 'CSeq: abc INVITE'],
    ['a number beyond 32 bits (RFC 4475 §3.1.2.4)', 'CSeq: 36893488147419103232 INVITE'],
    ['2^32', 'CSeq: 4294967296 INVITE'],
    ['no method', 'CSeq: 7'],
    ['no LWS before the method', 'CSeq: 7INVITE'],
    ['junk after the method', 'CSeq: 7 INVITE x'],
  ])('rejects a CSeq with %s as Malformed CSeq, with no response', (_what, cseq) => {
    const err = failure(request({ cseq }));
    expect(err.reason).toBe('Bad Request - Malformed CSeq');
    expect(err.errorResponse()).toBeNull();
  });

  it('accepts the largest 32-bit CSeq', () => {
    expect(parseMessage(request({ cseq: 'CSeq: 4294967295 INVITE' })).cseq.seq).toBe(4294967295);
  });

  it('rejects a CSeq method that differs from the request method and answers 400 (RFC 4475 §3.1.2.17-18)', () => {
    for (const change of [{ cseq: 'CSeq: 7 ACK' }, { start: 'NEWMETHOD sip:user@example.com SIP/2.0' }]) {
      const err = failure(request(change));
      expect(err.reason).toBe('Bad Request - CSeq method mismatch');
      const res = answer(err);
      expect(res).toMatchObject({ status: 400, reason: 'Bad Request - CSeq method mismatch', callId: 'err.1@host' });
      expect(res.via).toHaveLength(1);
      expect(res.to.params.tag).toMatch(/^[0-9a-f]{16}$/);
      expect(res.body).toBe('');
    }
  });

  it('rejects a Content-Length larger than the body and answers 400 (RFC 4475 §3.1.2.2)', () => {
    const err = failure(request({}, ['Content-Length: 9999'], 'v=0\r\n'));
    expect([err.status, err.reason]).toEqual([400, 'Bad Request - Content-Length exceeds body']);
    expect(answer(err).reason).toBe('Bad Request - Content-Length exceeds body');
  });

  it('counts bytes, not chars, when checking Content-Length against a multi-byte body', () => {
    const body = 'é'.repeat(10); // 10 chars, 20 bytes
    expect(parseMessage(request({}, ['Content-Length: 20'], body)).body).toBe(body);
    expect(failure(request({}, ['Content-Length: 21'], body)).reason).toBe('Bad Request - Content-Length exceeds body');
  });

  it.each(['-999', 'abc', '1e3', '', '12 34'])('rejects Content-Length %j as malformed (RFC 4475 §3.1.2.3)', (value) => {
    const err = failure(request({}, [`Content-Length: ${value}`], 'v=0\r\n'));
    expect(err.reason).toBe('Bad Request - Malformed Content-Length');
    expect(answer(err).status).toBe(400);
  });

  it.each([
    ['From', { extra: ['From: <sip:other@example.net>;tag=f2'] }, 'Multiple From'],
    ['To', { extra: ['To: <sip:other@example.com>'] }, 'Multiple To'],
    ['Call-ID', { extra: ['i: other@host'] }, 'Multiple Call-ID'],
    ['CSeq', { extra: ['CSeq: 8 INVITE'] }, 'Multiple CSeq'],
    ['Content-Length', { extra: ['Content-Length: 0', 'l: 0'] }, 'Multiple Content-Length'],
  ])('rejects a repeated %s', (_what, { extra }, reason) => {
    expect(failure(request({}, extra)).reason).toBe(`Bad Request - ${reason}`);
  });

  it('answers a repeated Content-Length, whose five key headers are intact', () => {
    expect(answer(failure(request({}, ['Content-Length: 0', 'Content-Length: 0']))).status).toBe(400);
  });

  it.each([
    ['From', { from: 'From: "Mr. J. User <sip:j.user@example.com>' }, 'Malformed From'],
    ['To', { to: 'To: Bell, Alexander <sip:a.g.bell@example.com>' }, 'Malformed To'],
    ['Via', { via: 'Via: SIP/2.0/UDP' }, 'Malformed Via'],
    ['Call-ID', { callId: 'Call-ID: two words' }, 'Malformed Call-ID'],
  ])('rejects a malformed %s without an answer', (_what, change, reason) => {
    const err = failure(request(change));
    expect(err.reason).toBe(`Bad Request - ${reason}`);
    expect(err.errorResponse()).toBeNull();
  });

  it('answers a From with a non-SIP URI, copying it as sent', () => {
    const err = failure(request({ from: 'From: <tel:+12015550123>;tag=f1' }));
    expect(err.reason).toBe('Bad Request - Unsupported URI Scheme in From');
    expect(err.errorResponse()).toContain('\r\nFrom: <tel:+12015550123>;tag=f1\r\n');
  });

  it.each([
    ['a line without a colon', 'this is not a header'],
    ['a header name that is not a token', 'Bad Name: x'],
    ['an empty header name', ': x'],
    ['a malformed Max-Forwards', 'Max-Forwards: many'],
  ])('rejects %s and answers it when the key headers are intact', (_what, line) => {
    const err = failure(request({ maxForwards: null }, [line]));
    expect(err.status).toBe(400);
    expect(answer(err).status).toBe(400);
  });

  it('rejects a continuation line before any header', () => {
    expect(failure(`${HEAD.start}\r\n folded\r\n${request().split('\r\n').slice(1).join('\r\n')}`).reason).toBe(
      'Bad Request - Malformed header line',
    );
  });

  it('rejects a message over 64 KiB with 513 and still answers it', () => {
    const err = failure(request({}, [`X-Padding: ${'a'.repeat(70_000)}`]));
    expect([err.status, err.reason, err.code]).toEqual([513, 'Message Too Large', 'SIP_TOO_LARGE']);
    const res = answer(err);
    expect(res).toMatchObject({ status: 513, reason: 'Message Too Large', callId: 'err.1@host' });
    expect(getHeader(res, 'x-padding')).toBeUndefined();
  });

  it('measures the size limit in UTF-8 bytes and honours maxBytes', () => {
    const text = request({}, [], '€'.repeat(400)); // 400 chars of body, 1200 bytes
    expect(parseMessage(text, { maxBytes: 2000 }).body).toHaveLength(400);
    expect(failure(text, { maxBytes: text.length + 10 }).status).toBe(513);
  });
});
