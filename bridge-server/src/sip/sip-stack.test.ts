import { describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../clock.js';
import { ClosedError, SambungError } from '../errors.js';
import type { InviteServerTransaction } from './invite-server-transaction.js';
import { createCancel, createResponse } from './message-builders.js';
import type { SipMessage, SipRequest, SipResponse } from './message.js';
import { parseMessage } from './parser.js';
import { serializeMessage } from './serializer.js';
import { MemoryConnection, request } from './sip-test-kit.js';
import { SipStack, type ServerTransaction, type SipUserAgentCore } from './sip-stack.js';

function setup(tuOverrides: Partial<SipUserAgentCore> = {}) {
  const clock = new ManualClock();
  const warn = vi.fn();
  const logger = { debug: vi.fn(), info: vi.fn(), warn, error: vi.fn() };
  const requests: ServerTransaction[] = [];
  const acks: SipRequest[] = [];
  const cancels: InviteServerTransaction[] = [];
  const tu: SipUserAgentCore = {
    onRequest: (tx) => requests.push(tx),
    onAck: (ack) => acks.push(ack),
    onCancel: (tx) => cancels.push(tx),
    ...tuOverrides,
  };
  const stack = new SipStack({ tu, clock, logger });
  const conn = new MemoryConnection();
  const wire = (): SipMessage[] => conn.sent.map((t) => parseMessage(t));
  const responses = (): SipResponse[] => wire().filter((m): m is SipResponse => m.kind === 'response');
  const deliver = (msg: SipMessage, on = conn): void => stack.receive(on, serializeMessage(msg));
  return { clock, logger, warn, requests, acks, cancels, stack, conn, wire, responses, deliver };
}

describe('SipStack receiving requests', () => {
  it('hands a new request to the TU as a server transaction whose responses go back on the connection', () => {
    const s = setup();
    const options = request('OPTIONS');
    s.deliver(options);
    expect(s.requests).toHaveLength(1);
    const tx = s.requests[0]!;
    expect(tx.request.method).toBe('OPTIONS');
    expect(tx.connection).toBe(s.conn);
    tx.respond(200, { headers: { Allow: 'INVITE, ACK, CANCEL, BYE, OPTIONS' } });
    const [res] = s.responses();
    expect(res!.status).toBe(200);
    expect(res!.callId).toBe(options.callId);
    expect(res!.to.params.tag).toBe(tx.localTag);
  });

  it('adds received to the top Via when the sent-by host is not the source address (RFC 3261 §18.2.1)', () => {
    const s = setup();
    const options = request('OPTIONS');
    options.via[0]!.params.rport = null;
    s.deliver(options);
    s.requests[0]!.respond(200);
    const via = s.responses()[0]!.via[0]!;
    expect(via.params.received).toBe('203.0.113.7');
    expect(via.params.rport).toBe('51000');
  });

  it('delivers a retransmitted INVITE to its transaction, not to the TU again', () => {
    const s = setup();
    const invite = request('INVITE');
    s.deliver(invite);
    s.requests[0]!.respond(180);
    s.deliver(invite);
    expect(s.requests).toHaveLength(1);
    expect(s.responses().map((r) => r.status)).toEqual([100, 180, 180]);
  });

  it('answers a parse error with the parser response, logs and counts it, and never throws', () => {
    const s = setup();
    const good = serializeMessage(request('OPTIONS'));
    const broken = good.replace(/^Content-Length: 0/m, 'Content-Length: 5');
    expect(() => s.stack.receive(s.conn, broken)).not.toThrow();
    expect(s.conn.sent).toHaveLength(1);
    expect(s.conn.sent[0]).toMatch(/^SIP\/2\.0 400 Bad Request - Content-Length/);
    expect(s.warn).toHaveBeenCalledOnce();
    expect(() => s.stack.receive(s.conn, '\u0000garbage')).not.toThrow(); // nothing to answer: dropped
    expect(s.conn.sent).toHaveLength(1);
    expect(s.stack.stats().parseErrors).toBe(2);
    expect(s.requests).toEqual([]);
  });

  it('answers a Request-URI scheme it does not serve with 416', () => {
    const s = setup();
    const text = serializeMessage(request('OPTIONS')).replace(/^OPTIONS sip:[^ ]+ /, 'OPTIONS tel:+15551234 ');
    s.stack.receive(s.conn, text);
    expect(s.conn.sent[0]).toMatch(/^SIP\/2\.0 416 /);
  });

  it('rejects an invalid Max-Forwards with 400 and accepts Max-Forwards 0 for itself', () => {
    const s = setup();
    const bad = serializeMessage(request('OPTIONS')).replace(/^Max-Forwards: 70/m, 'Max-Forwards: -1');
    s.stack.receive(s.conn, bad);
    expect(s.conn.sent[0]).toMatch(/^SIP\/2\.0 400 /);
    const zero = request('OPTIONS');
    zero.headers.set('max-forwards', ['0']);
    s.deliver(zero);
    expect(s.requests).toHaveLength(1);
  });

  it('answers 500 when the TU throws on a request and keeps serving', () => {
    const s = setup({
      onRequest: () => {
        throw new Error('TU bug');
      },
    });
    s.deliver(request('OPTIONS'));
    expect(s.responses()[0]!.status).toBe(500);
  });

  it('answers 503 while no TU is attached', () => {
    const stack = new SipStack({ clock: new ManualClock() });
    const conn = new MemoryConnection();
    stack.receive(conn, serializeMessage(request('OPTIONS')));
    expect(conn.sent[0]).toMatch(/^SIP\/2\.0 503 /);
  });
});

describe('SipStack CANCEL and ACK', () => {
  it('answers a matching CANCEL 200 with the INVITE To tag, tells the TU once, and absorbs the ACK for the 487', () => {
    const s = setup();
    const invite = request('INVITE');
    s.deliver(invite);
    const tx = s.requests[0] as InviteServerTransaction;
    tx.respond(180);
    const cancel = createCancel(invite);
    s.deliver(cancel);
    s.deliver(cancel);
    expect(s.cancels).toEqual([tx]);
    tx.respond(487);
    const res = s.responses();
    const cancelOk = res.filter((r) => r.cseq.method === 'CANCEL');
    expect(cancelOk.map((r) => r.status)).toEqual([200, 200]);
    expect(cancelOk[0]!.to.params.tag).toBe(tx.localTag);
    expect(res.filter((r) => r.cseq.method === 'INVITE').map((r) => r.status)).toEqual([100, 180, 487]);
    const ack: SipRequest = { ...createCancel(invite), method: 'ACK', cseq: { seq: 1, method: 'ACK' }, to: res.at(-1)!.to };
    s.deliver(ack);
    expect(s.acks).toEqual([]);
    expect(tx.state).toBe('terminated');
  });

  it('answers a CANCEL that matches nothing with 481', () => {
    const s = setup();
    s.deliver(createCancel(request('INVITE')));
    expect(s.responses()[0]!.status).toBe(481);
    expect(s.cancels).toEqual([]);
  });

  it('answers a CANCEL after the final response 200 without telling the TU', () => {
    const s = setup();
    const invite = request('INVITE');
    s.deliver(invite);
    s.requests[0]!.respond(200);
    s.deliver(createCancel(invite));
    expect(s.responses().at(-1)!.status).toBe(200);
    expect(s.cancels).toEqual([]);
  });

  it('delivers the ACK for a 2xx (new branch) to the TU', () => {
    const s = setup();
    const invite = request('INVITE');
    s.deliver(invite);
    const ok = s.requests[0]!.respond(200);
    const ack = { ...request('ACK'), callId: invite.callId, from: invite.from, to: ok.to, cseq: { seq: 1, method: 'ACK' } };
    s.deliver(ack);
    expect(s.acks).toHaveLength(1);
    expect(s.acks[0]!.callId).toBe(invite.callId);
  });
});

describe('SipStack client transactions', () => {
  it('matches a response to its client transaction by branch and CSeq method', () => {
    const s = setup();
    const onFinal = vi.fn();
    const req = request('OPTIONS');
    s.stack.sendRequest(s.conn, req, { onFinal });
    expect(s.wire()[0]).toMatchObject({ kind: 'request', method: 'OPTIONS' });
    s.deliver(createResponse(req, 200));
    expect(onFinal).toHaveBeenCalledOnce();
    expect(s.stack.stats().clientTransactions).toBe(0);
  });

  it('drops a response that matches no transaction or arrives on another connection', () => {
    const s = setup();
    const onFinal = vi.fn();
    const req = request('OPTIONS');
    s.stack.sendRequest(s.conn, req, { onFinal });
    s.deliver(createResponse(req, 200), new MemoryConnection());
    s.deliver(createResponse(request('OPTIONS'), 200));
    expect(onFinal).not.toHaveBeenCalled();
    expect(s.stack.stats().dropped).toBe(2);
  });

  it('sends CANCEL for an INVITE after the provisional and ACKs the 487 on the wire', () => {
    const s = setup();
    const invite = request('INVITE');
    const finals: number[] = [];
    const tx = s.stack.sendRequest(s.conn, invite, { onFinal: (r) => finals.push(r.status) });
    tx.cancel();
    expect(s.wire()).toHaveLength(1);
    s.deliver(createResponse(invite, 180, undefined, { toTag: 't' }));
    const cancel = s.wire()[1] as SipRequest;
    expect(cancel.method).toBe('CANCEL');
    expect(cancel.via[0]!.params.branch).toBe(invite.via[0]!.params.branch);
    s.deliver(createResponse(cancel, 200, undefined, { toTag: 't' }));
    s.deliver(createResponse(invite, 487, undefined, { toTag: 't' }));
    expect(finals).toEqual([487]);
    const ack = s.wire()[2] as SipRequest;
    expect(ack.method).toBe('ACK');
    expect(ack.via[0]!.params.branch).toBe(invite.via[0]!.params.branch);
    expect(s.clock.pending).toBe(0);
  });

  it('re-sends the TU ACK when the 2xx is retransmitted', () => {
    const s = setup();
    const invite = request('INVITE');
    s.stack.sendRequest(s.conn, invite);
    const ok = createResponse(invite, 200, undefined, { toTag: 'b' });
    s.deliver(ok);
    const ack: SipRequest = { ...request('ACK'), callId: invite.callId, from: invite.from, to: ok.to, cseq: { seq: 1, method: 'ACK' } };
    s.stack.sendAck(s.conn, ack);
    s.deliver(ok);
    const acks = s.wire().filter((m) => m.kind === 'request' && m.method === 'ACK');
    expect(acks).toHaveLength(2);
    s.clock.advance(32_000);
    expect(s.clock.pending).toBe(0);
  });

  it('fails client transactions with ClosedError when their connection closes', () => {
    const s = setup();
    const errors: SambungError[] = [];
    const closed = vi.fn();
    s.stack.on('connectionClosed', closed);
    s.stack.sendRequest(s.conn, request('INVITE'), { onError: (e) => errors.push(e) });
    s.stack.connectionClosed(s.conn);
    s.stack.connectionClosed(s.conn);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ClosedError);
    expect(closed).toHaveBeenCalledOnce();
    expect(s.clock.pending).toBe(0);
  });

  it('throws ClosedError from sendRequest when the connection is already closed', () => {
    const s = setup();
    s.conn.close();
    expect(() => s.stack.sendRequest(s.conn, request('OPTIONS'))).toThrow(ClosedError);
    expect(s.stack.stats().clientTransactions).toBe(0);
  });
});

describe('SipStack counters and lifecycle', () => {
  it('counts messages in and out by method and by status and emits them', () => {
    const s = setup();
    const seen: string[] = [];
    s.stack.on('message', (dir, msg) => seen.push(`${dir} ${msg.kind === 'request' ? msg.method : msg.status}`));
    s.deliver(request('OPTIONS'));
    s.requests[0]!.respond(200);
    const stats = s.stack.stats();
    expect(stats.in.requests).toEqual({ OPTIONS: 1 });
    expect(stats.out.responses).toEqual({ '200': 1 });
    expect(seen).toEqual(['in OPTIONS', 'out 200']);
  });

  it('close() is idempotent, fails pending requests and leaves no timers', () => {
    const s = setup();
    const onError = vi.fn();
    s.stack.sendRequest(s.conn, request('OPTIONS'), { onError });
    s.deliver(request('INVITE'));
    s.stack.close();
    s.stack.close();
    expect(onError).toHaveBeenCalledOnce();
    expect(s.clock.pending).toBe(0);
    expect(() => s.stack.sendRequest(s.conn, request('OPTIONS'))).toThrow(ClosedError);
    s.deliver(request('OPTIONS'));
    expect(s.requests).toHaveLength(1);
  });
});
