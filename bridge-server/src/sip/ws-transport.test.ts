/**
 * Integration: a real HTTP server on loopback, the real transport, stack, parser and serializer, and real
 * `ws` clients speaking SIP text on the wire (RFC 7118).
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ManualClock } from '../clock.js';
import type { InviteServerTransaction } from './invite-server-transaction.js';
import { createCancel } from './message-builders.js';
import type { SipMessage, SipRequest, SipResponse } from './message.js';
import { parseMessage } from './parser.js';
import { serializeMessage } from './serializer.js';
import { request } from './sip-test-kit.js';
import { SipStack, type SipUserAgentCore } from './sip-stack.js';
import { WsSipTransport } from './ws-transport.js';

/** A trivial TU: OPTIONS → 200, INVITE → 180 and wait; CANCEL → 487. */
const tu: SipUserAgentCore = {
  onRequest(tx) {
    if (tx.request.method === 'INVITE') tx.respond(180);
    else tx.respond(200, { headers: { Allow: 'INVITE, ACK, CANCEL, OPTIONS' } });
  },
  onAck() {},
  onCancel(inviteTx: InviteServerTransaction) {
    inviteTx.respond(487);
  },
};

class SipClient {
  readonly ws: WebSocket;
  readonly #inbox: SipMessage[] = [];
  readonly #waiters: Array<() => void> = [];

  constructor(url: string, protocol: string | string[] = 'sip', opts: { autoPong?: boolean } = {}) {
    this.ws = new WebSocket(url, protocol, opts);
    this.ws.on('message', (data) => {
      this.#inbox.push(parseMessage(String(data)));
      for (const w of this.#waiters.splice(0)) w();
    });
  }

  async open(): Promise<void> {
    if (this.ws.readyState !== WebSocket.OPEN) await once(this.ws, 'open');
  }

  send(msg: SipMessage | string): void {
    this.ws.send(typeof msg === 'string' ? msg : serializeMessage(msg));
  }

  /** The next message matching `match` (waits up to 5 s). */
  async next(match: (m: SipMessage) => boolean = () => true): Promise<SipMessage> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const i = this.#inbox.findIndex(match);
      if (i >= 0) return this.#inbox.splice(i, 1)[0]!;
      if (Date.now() > deadline) throw new Error('no matching SIP message');
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  async response(status: number, method?: string): Promise<SipResponse> {
    return (await this.next((m) => m.kind === 'response' && m.status === status && (!method || m.cseq.method === method))) as SipResponse;
  }
}

let server: Server;
let stack: SipStack;
let transport: WsSipTransport;
let clock: ManualClock;
let url: string;
const clients: SipClient[] = [];

async function client(protocol: string | string[] = 'sip', opts: { autoPong?: boolean } = {}): Promise<SipClient> {
  const c = new SipClient(url, protocol, opts);
  clients.push(c);
  await c.open();
  return c;
}

beforeEach(async () => {
  clock = new ManualClock();
  server = createServer((_req, res) => res.writeHead(404).end());
  stack = new SipStack({ tu });
  transport = new WsSipTransport({ server, stack, clock });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/sip`;
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  transport.close();
  stack.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('WsSipTransport', () => {
  it('negotiates the sip subprotocol and answers OPTIONS on the same connection', async () => {
    const c = await client();
    expect(c.ws.protocol).toBe('sip');
    const options = request('OPTIONS');
    c.send(options);
    const res = await c.response(200);
    expect(res.callId).toBe(options.callId);
    expect(res.via[0]!.params.received).toBe('127.0.0.1');
    expect(stack.stats().in.requests.OPTIONS).toBe(1);
  });

  it('answers a malformed frame 400 with a reason phrase and keeps serving the connection', async () => {
    const c = await client();
    c.send(serializeMessage(request('OPTIONS')).replace(/^Content-Length: 0/m, 'Content-Length: 9'));
    const bad = await c.response(400);
    expect(bad.reason).toMatch(/^Bad Request - /);
    c.send('not sip at all');
    c.send(request('OPTIONS'));
    await c.response(200);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('accepts binary frames and answers an oversized message 513 without dropping the connection', async () => {
    const c = await client();
    c.ws.send(Buffer.from(serializeMessage(request('OPTIONS')), 'utf8'));
    await c.response(200);
    c.send(request('MESSAGE', { body: 'x'.repeat(70_000), contentType: 'text/plain' }));
    await c.response(513);
    c.send(request('OPTIONS'));
    await c.response(200);
  });

  it('refuses a handshake that does not offer the sip subprotocol with HTTP 400', async () => {
    for (const protocols of [['chat'], []]) {
      const ws = new WebSocket(url, protocols);
      ws.on('error', () => {});
      const [req, res] = (await once(ws, 'unexpected-response')) as [{ destroy(): void }, { statusCode: number }];
      expect(res.statusCode).toBe(400);
      req.destroy();
    }
    expect(transport.size).toBe(0);
  });

  it('answers CANCEL of a pending INVITE 200 and the INVITE 487, then absorbs the ACK', async () => {
    const c = await client();
    const invite = request('INVITE', { body: 'v=0\r\n', contentType: 'application/sdp' });
    c.send(invite);
    await c.response(100, 'INVITE');
    await c.response(180, 'INVITE');
    c.send(createCancel(invite));
    const cancelOk = await c.response(200, 'CANCEL');
    const terminated = await c.response(487, 'INVITE');
    expect(terminated.reason).toBe('Request Terminated');
    expect(cancelOk.to.params.tag).toBe(terminated.to.params.tag);
    const ack: SipRequest = { ...createCancel(invite), method: 'ACK', cseq: { seq: invite.cseq.seq, method: 'ACK' }, to: terminated.to };
    c.send(ack);
    c.send(request('OPTIONS'));
    await c.response(200, 'OPTIONS');
    expect(stack.stats().serverTransactions).toBe(0);
  });

  it('answers a CANCEL that matches no transaction 481', async () => {
    const c = await client();
    c.send(createCancel(request('INVITE')));
    const res = await c.response(481, 'CANCEL');
    expect(res.reason).toBe('Call/Transaction Does Not Exist');
  });

  it('pings every 30 s and drops a socket that does not answer', async () => {
    const alive = await client();
    const dead = await client('sip', { autoPong: false });
    const pinged = once(dead.ws, 'ping');
    const closed = once(dead.ws, 'close');
    clock.advance(30_000);
    await pinged;
    await new Promise((r) => setTimeout(r, 50)); // let the live client's pong arrive
    clock.advance(30_000);
    await closed;
    expect(alive.ws.readyState).toBe(WebSocket.OPEN);
    expect(transport.size).toBe(1);
    expect(stack.stats().connections).toBe(1);
  });

  it('close() is idempotent, closes every connection with 1001 and tells the stack', async () => {
    const c = await client();
    const closedConns: string[] = [];
    stack.on('connectionClosed', (conn) => closedConns.push(conn.id));
    const closed = once(c.ws, 'close') as Promise<[number]>;
    transport.close();
    transport.close();
    const [code] = await closed;
    expect(code).toBe(1001);
    expect(closedConns).toHaveLength(1);
    expect(transport.size).toBe(0);
  });
});
