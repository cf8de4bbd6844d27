import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { createRequest } from './message-builders.js';
import { getHeader, getHeaders, type SipRequest, type SipResponse } from './message.js';
import { parseNameAddr } from './name-addr.js';
import { NonInviteServerTransaction } from './non-invite-server-transaction.js';
import { Registrar } from './registrar.js';
import { MemoryConnection, recordingContext } from './sip-test-kit.js';
import { parseUri } from './uri.js';

const AOR = 'sip:alice@sambung.example';

function register(opts: { contacts?: string[]; expires?: string; callId?: string; cseq?: number; supported?: string } = {}): SipRequest {
  const headers: Record<string, string | string[]> = {};
  if (opts.contacts) headers.Contact = opts.contacts;
  if (opts.expires !== undefined) headers.Expires = opts.expires;
  if (opts.supported) headers.Supported = opts.supported;
  return createRequest({
    method: 'REGISTER',
    uri: parseUri('sip:sambung.example'),
    from: parseNameAddr('<sip:alice@sambung.example>'),
    to: parseNameAddr('<sip:alice@sambung.example>'),
    via: { transport: 'WSS', host: 'client.invalid' },
    callId: opts.callId ?? 'call-1',
    cseq: opts.cseq ?? 1,
    headers,
  });
}

function setup() {
  const clock = new ManualClock();
  const registrar = new Registrar({ clock });
  const changed: string[] = [];
  registrar.on('changed', (aor) => changed.push(aor));
  const conn = new MemoryConnection();
  const handle = (req: SipRequest, on = conn): SipResponse => {
    const tx = new NonInviteServerTransaction(req, on, recordingContext({ clock }));
    return registrar.handle(tx);
  };
  return { clock, registrar, changed, conn, handle };
}

const jssip = (user: string, instance = 'urn:uuid:0b0c4f6e-aaaa-4bbb-8ccc-123456789abc') =>
  `<sip:${user}@x1.invalid;transport=ws>;+sip.instance="<${instance}>";reg-id=1;expires=600`;

describe('Registrar', () => {
  it('binds a contact for the default 600 s and lists it with its expiry in the 200 (RFC 3261 §10.3)', () => {
    const s = setup();
    const res = s.handle(register({ contacts: ['<sip:a1@x1.invalid;transport=ws>'] }));
    expect(res.status).toBe(200);
    expect(getHeaders(res, 'contact')).toEqual(['<sip:a1@x1.invalid;transport=ws>;expires=600']);
    expect(getHeader(res, 'expires')).toBe('600');
    const [b] = s.registrar.lookup(AOR);
    expect(b!.connection).toBe(s.conn);
    expect(b!.expiresAt).toBe(s.clock.now() + 600_000);
    expect(b!.callId).toBe('call-1');
    expect(s.changed).toEqual([AOR]);
  });

  it('expires a binding by timer and reports the change', () => {
    const s = setup();
    s.handle(register({ contacts: ['<sip:a1@x1.invalid>'], expires: '120' }));
    s.clock.advance(119_999);
    expect(s.registrar.lookup(AOR)).toHaveLength(1);
    s.clock.advance(1);
    expect(s.registrar.lookup(AOR)).toEqual([]);
    expect(s.changed).toEqual([AOR, AOR]);
    expect(s.clock.pending).toBe(0);
  });

  it('refreshing a binding restarts its timer and the 200 shows the remaining time of others', () => {
    const s = setup();
    s.handle(register({ contacts: ['<sip:a1@x1.invalid>'], callId: 'c1' }));
    s.clock.advance(100_000);
    const res = s.handle(register({ contacts: ['<sip:a2@x2.invalid>;expires=300'], callId: 'c2' }));
    expect(getHeaders(res, 'contact')).toEqual(['<sip:a2@x2.invalid>;expires=300', '<sip:a1@x1.invalid>;expires=500']);
    s.handle(register({ contacts: ['<sip:a1@x1.invalid>'], callId: 'c1', cseq: 2 }));
    s.clock.advance(550_000);
    expect(s.registrar.lookup(AOR).map((b) => b.contact.uri.user)).toEqual(['a1']);
  });

  it('answers 423 with Min-Expires for a too brief interval and stores nothing', () => {
    const s = setup();
    const res = s.handle(register({ contacts: ['<sip:a1@x1.invalid>'], expires: '30' }));
    expect(res.status).toBe(423);
    expect(res.reason).toBe('Interval Too Brief');
    expect(getHeader(res, 'min-expires')).toBe('60');
    expect(s.registrar.lookup(AOR)).toEqual([]);
  });

  it('shortens an interval above the maximum', () => {
    const s = setup();
    const res = s.handle(register({ contacts: ['<sip:a1@x1.invalid>'], expires: '86400' }));
    expect(getHeader(res, 'expires')).toBe('3600');
  });

  it('keeps several contacts per AOR, newest first', () => {
    const s = setup();
    s.handle(register({ contacts: ['<sip:a1@x1.invalid>'], callId: 'c1' }));
    s.handle(register({ contacts: ['<sip:a2@x2.invalid>', '<sip:a3@x3.invalid>'], callId: 'c2' }));
    expect(s.registrar.lookup(AOR).map((b) => b.contact.uri.user)).toEqual(['a3', 'a2', 'a1']);
  });

  it('replaces the binding of the same +sip.instance and reg-id from a reloaded page (RFC 5626 §6)', () => {
    const s = setup();
    const oldConn = new MemoryConnection();
    s.handle(register({ contacts: [jssip('first')], callId: 'page-1', cseq: 5 }), oldConn);
    s.handle(register({ contacts: [jssip('second')], callId: 'page-2', cseq: 1 }));
    const bindings = s.registrar.lookup(AOR);
    expect(bindings).toHaveLength(1);
    expect(bindings[0]!.contact.uri.user).toBe('second');
    expect(bindings[0]!.connection).toBe(s.conn);
    expect(bindings[0]!.instanceId).toBe('<urn:uuid:0b0c4f6e-aaaa-4bbb-8ccc-123456789abc>');
    expect(bindings[0]!.regId).toBe('1');
    s.handle(register({ contacts: [jssip('third', 'urn:uuid:other')], callId: 'page-3' }));
    expect(s.registrar.lookup(AOR)).toHaveLength(2);
  });

  it('confirms an outbound registration with Require: outbound', () => {
    const s = setup();
    const res = s.handle(register({ contacts: [jssip('a')], supported: 'path, outbound' }));
    expect(getHeader(res, 'require')).toBe('outbound');
  });

  it('rejects an older or repeated CSeq for the same Call-ID and leaves bindings unchanged (§10.3 step 7)', () => {
    const s = setup();
    s.handle(register({ contacts: ['<sip:a1@x1.invalid>'], callId: 'c1', cseq: 5 }));
    const res = s.handle(register({ contacts: ['<sip:a1@x1.invalid>'], callId: 'c1', cseq: 5, expires: '0' }));
    expect(res.status).toBe(500);
    expect(s.registrar.lookup(AOR)).toHaveLength(1);
    expect(s.handle(register({ contacts: ['<sip:a1@x1.invalid>'], callId: 'c1', cseq: 6, expires: '0' })).status).toBe(200);
    expect(s.registrar.lookup(AOR)).toEqual([]);
  });

  it('removes one binding with Expires 0 and keeps the others', () => {
    const s = setup();
    s.handle(register({ contacts: ['<sip:a1@x1.invalid>', '<sip:a2@x2.invalid>'] }));
    const res = s.handle(register({ contacts: ['<sip:a1@x1.invalid>;expires=0'], cseq: 2 }));
    expect(getHeaders(res, 'contact')).toEqual(['<sip:a2@x2.invalid>;expires=600']);
    expect(s.registrar.lookup(AOR).map((b) => b.contact.uri.user)).toEqual(['a2']);
  });

  it('removes every binding for Contact: * with Expires: 0, and refuses * otherwise', () => {
    const s = setup();
    s.handle(register({ contacts: ['<sip:a1@x1.invalid>', '<sip:a2@x2.invalid>'] }));
    expect(s.handle(register({ contacts: ['*'], expires: '60', cseq: 2 })).status).toBe(400);
    expect(s.handle(register({ contacts: ['*', '<sip:a3@x3.invalid>'], expires: '0', cseq: 2 })).status).toBe(400);
    expect(s.registrar.lookup(AOR)).toHaveLength(2);
    const res = s.handle(register({ contacts: ['*'], expires: '0', cseq: 3 }));
    expect(res.status).toBe(200);
    expect(getHeader(res, 'contact')).toBeUndefined();
    expect(s.registrar.lookup(AOR)).toEqual([]);
    expect(s.registrar.aors()).toEqual([]);
    expect(s.clock.pending).toBe(0);
  });

  it('answers a REGISTER without Contact with the current bindings (a query)', () => {
    const s = setup();
    s.handle(register({ contacts: ['<sip:a1@x1.invalid>'] }));
    const res = s.handle(register({ cseq: 2 }));
    expect(res.status).toBe(200);
    expect(getHeaders(res, 'contact')).toEqual(['<sip:a1@x1.invalid>;expires=600']);
  });

  it('drops every binding of a connection when it closes (RFC 5626 flows)', () => {
    const s = setup();
    const other = new MemoryConnection();
    s.handle(register({ contacts: ['<sip:a1@x1.invalid>'], callId: 'c1' }));
    s.handle(register({ contacts: ['<sip:a2@x2.invalid>'], callId: 'c2' }), other);
    s.changed.length = 0;
    s.registrar.removeConnection(s.conn);
    expect(s.registrar.lookup(AOR).map((b) => b.contact.uri.user)).toEqual(['a2']);
    expect(s.changed).toEqual([AOR]);
    expect(s.clock.pending).toBe(1);
  });

  it('answers 400 for a malformed Contact', () => {
    const s = setup();
    expect(s.handle(register({ contacts: ['<sip:a1@x1.invalid'] })).status).toBe(400);
  });

  it('derives the AOR from the To URI without port or parameters', () => {
    expect(Registrar.aorOf(parseUri('sip:Alice@Sambung.Example:5060;transport=ws'))).toBe('sip:Alice@sambung.example');
  });

  it('close() cancels every expiry timer and is idempotent', () => {
    const s = setup();
    s.handle(register({ contacts: ['<sip:a1@x1.invalid>', '<sip:a2@x2.invalid>'] }));
    s.registrar.close();
    s.registrar.close();
    expect(s.clock.pending).toBe(0);
    expect(s.registrar.lookup(AOR)).toEqual([]);
  });
});
