import { describe, expect, it } from 'vitest';
import {
  createCancel,
  createNon2xxAck,
  createRequest,
  createResponse,
  newBranch,
  newCallId,
  newTag,
  reasonPhrase,
} from './message-builders.js';
import { getHeader, getHeaders } from './message.js';
import { parseNameAddr } from './name-addr.js';
import { request, response } from './sip-test-kit.js';
import { parseUri } from './uri.js';

describe('identifiers', () => {
  it('branches start with the RFC 3261 magic cookie and are unique', () => {
    const a = newBranch();
    expect(a.startsWith('z9hG4bK')).toBe(true);
    expect(a.length).toBeGreaterThan(7 + 10);
    expect(new Set(Array.from({ length: 100 }, newBranch)).size).toBe(100);
  });

  it('tags and Call-IDs are random tokens', () => {
    expect(newTag()).toMatch(/^[0-9a-f]{16}$/);
    expect(newCallId()).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(newTag()).not.toBe(newTag());
  });
});

describe('reasonPhrase', () => {
  it('gives the RFC phrase for common codes and a class phrase for others', () => {
    expect(reasonPhrase(180)).toBe('Ringing');
    expect(reasonPhrase(481)).toBe('Call/Transaction Does Not Exist');
    expect(reasonPhrase(423)).toBe('Interval Too Brief');
    expect(reasonPhrase(499)).toBe('Client Error');
  });
});

describe('createResponse', () => {
  it('copies Via list, From, Call-ID and CSeq and adds a To tag to a final response', () => {
    const req = request('INVITE');
    req.via.push({ transport: 'WSS', host: 'proxy.example', port: 443, params: { branch: 'z9hG4bKproxy' } });
    const res = createResponse(req, 486);
    expect(res.reason).toBe('Busy Here');
    expect(res.via).toEqual(req.via);
    expect(res.via[0]).not.toBe(req.via[0]);
    expect(res.from).toEqual(req.from);
    expect(res.callId).toBe(req.callId);
    expect(res.cseq).toEqual({ seq: 1, method: 'INVITE' });
    expect(res.to.params.tag).toMatch(/^[0-9a-f]{16}$/);
    expect(req.to.params.tag).toBeUndefined();
  });

  it('leaves To without a tag on 100 Trying and echoes Timestamp', () => {
    const req = request('INVITE');
    req.headers.set('timestamp', ['54']);
    const res = createResponse(req, 100);
    expect(res.to.params.tag).toBeUndefined();
    expect(getHeader(res, 'timestamp')).toBe('54');
  });

  it('keeps an existing To tag and uses a given one otherwise', () => {
    const req = request('BYE');
    expect(createResponse(req, 200, undefined, { toTag: 'abc' }).to.params.tag).toBe('abc');
    req.to.params.tag = 'dialog';
    expect(createResponse(req, 200, undefined, { toTag: 'abc' }).to.params.tag).toBe('dialog');
  });

  it('sets extra headers, body and Content-Type and copies Record-Route into 2xx', () => {
    const req = request('INVITE');
    req.headers.set('record-route', ['<sip:p1.example;lr>']);
    const res = createResponse(req, 200, 'Fine', {
      headers: { Contact: '<sip:b2bua@sambung.invalid;transport=ws>', Allow: ['INVITE', 'ACK'] },
      body: 'v=0\r\n',
      contentType: 'application/sdp',
    });
    expect(res.reason).toBe('Fine');
    expect(getHeader(res, 'contact')).toBe('<sip:b2bua@sambung.invalid;transport=ws>');
    expect(getHeaders(res, 'allow')).toEqual(['INVITE', 'ACK']);
    expect(getHeader(res, 'content-type')).toBe('application/sdp');
    expect(getHeaders(res, 'record-route')).toEqual(['<sip:p1.example;lr>']);
    expect(res.body).toBe('v=0\r\n');
    expect(getHeader(createResponse(req, 486), 'record-route')).toBeUndefined();
  });
});

describe('createRequest', () => {
  it('builds an out-of-dialog request with a new branch, From tag, Max-Forwards 70 and Contact', () => {
    const req = createRequest({
      method: 'OPTIONS',
      uri: parseUri('sip:agent@example.com'),
      from: parseNameAddr('<sip:b2bua@example.com>'),
      to: parseNameAddr('<sip:agent@example.com>'),
      via: { transport: 'wss', host: 'b2bua.invalid' },
      contact: parseNameAddr('<sip:b2bua@b2bua.invalid;transport=ws>'),
      headers: { Supported: 'outbound' },
    });
    expect(req.method).toBe('OPTIONS');
    expect(req.cseq).toEqual({ seq: 1, method: 'OPTIONS' });
    expect(req.via).toHaveLength(1);
    expect(req.via[0]!.transport).toBe('WSS');
    expect(req.via[0]!.params.branch).toMatch(/^z9hG4bK/);
    expect(req.from.params.tag).toMatch(/^[0-9a-f]{16}$/);
    expect(req.to.params.tag).toBeUndefined();
    expect(getHeader(req, 'max-forwards')).toBe('70');
    expect(getHeader(req, 'contact')).toBe('<sip:b2bua@b2bua.invalid;transport=ws>');
    expect(getHeader(req, 'supported')).toBe('outbound');
    expect(req.callId.length).toBeGreaterThan(10);
  });
});

describe('createCancel', () => {
  it('copies Request-URI, Call-ID, From, To, CSeq number, top Via and Route of the INVITE', () => {
    const invite = request('INVITE');
    invite.headers.set('route', ['<sip:edge.example;lr>']);
    const cancel = createCancel(invite);
    expect(cancel.method).toBe('CANCEL');
    expect(cancel.uri).toEqual(invite.uri);
    expect(cancel.via).toEqual([invite.via[0]]);
    expect(cancel.cseq).toEqual({ seq: invite.cseq.seq, method: 'CANCEL' });
    expect(cancel.from).toEqual(invite.from);
    expect(cancel.to).toEqual(invite.to);
    expect(getHeaders(cancel, 'route')).toEqual(['<sip:edge.example;lr>']);
    expect(cancel.body).toBe('');
  });
});

describe('createNon2xxAck', () => {
  it('uses the INVITE branch and the To of the response, as RFC 3261 §17.1.1.3 requires', () => {
    const invite = request('INVITE', { body: 'v=0\r\n', contentType: 'application/sdp' });
    const res = response(invite, 486);
    const ack = createNon2xxAck(invite, res);
    expect(ack.method).toBe('ACK');
    expect(ack.via).toEqual([invite.via[0]]);
    expect(ack.to.params.tag).toBe('uas-tag');
    expect(ack.cseq).toEqual({ seq: 1, method: 'ACK' });
    expect(ack.uri).toEqual(invite.uri);
    expect(ack.body).toBe('');
  });
});
