/**
 * The SIP stack: parses what the transports deliver, matches it to transactions (RFC 3261 §17.1.3, §17.2.3),
 * answers CANCEL (§9.2), and hands everything else to the transaction user (the B2BUA). It owns the
 * transaction tables and knows the live connections; it never throws out of {@link SipStack.receive}.
 */
import { systemClock, type Clock } from '../clock.js';
import { ClosedError, SipError } from '../errors.js';
import { TypedEmitter } from '../typed-emitter.js';
import { ConnectionRegistry, isReliableTransport, sendOn, type SipConnection } from './connection.js';
import { InviteClientTransaction } from './invite-client-transaction.js';
import { InviteServerTransaction } from './invite-server-transaction.js';
import { BRANCH_MAGIC_COOKIE, DEFAULT_VIA_HOST, createResponse, createVia, newBranch } from './message-builders.js';
import type { SipMessage, SipRequest, SipResponse } from './message.js';
import { NonInviteClientTransaction } from './non-invite-client-transaction.js';
import { NonInviteServerTransaction } from './non-invite-server-transaction.js';
import { SipParseError } from './parse-error.js';
import { parseMessage } from './parser.js';
import { serializeMessage } from './serializer.js';
import {
  DEFAULT_TIMERS,
  clientKey,
  silentLogger,
  type ClientTransactionHandlers,
  type ServerTransaction,
  type SipLogger,
  type TimerConfig,
  type TransactionContext,
} from './transaction.js';

export type { ClientTransaction, ClientTransactionHandlers, RespondOptions, ServerTransaction, SipLogger } from './transaction.js';

/** The transaction user: the B2BUA. Its throws are caught and logged (a request it threw on gets a 500). */
export interface SipUserAgentCore {
  /** A new request (not ACK, not CANCEL). Answer it through `tx.respond`. */
  onRequest(tx: ServerTransaction): void;
  /** An ACK no transaction absorbed: the ACK for a 2xx (RFC 3261 §13.3.1.4, §17.2.3). */
  onAck(ack: SipRequest, conn: SipConnection): void;
  /** A CANCEL matched this INVITE while it was pending; the stack has answered the CANCEL 200. Answer 487. */
  onCancel(inviteTx: InviteServerTransaction): void;
}

export type ClientTx = InviteClientTransaction | NonInviteClientTransaction;
export type ServerTx = InviteServerTransaction | NonInviteServerTransaction;

export interface SipStackOptions {
  tu?: SipUserAgentCore;
  clock?: Clock;
  logger?: SipLogger;
  timers?: Partial<TimerConfig>;
  /** Largest message accepted (RFC 7118 §5 leaves it to us); larger ones are answered 513. Default 65536. */
  maxMessageBytes?: number;
  /** Sent-by host for Vias the stack adds to requests that have none. */
  viaHost?: string;
}

export type Direction = 'in' | 'out';

export type SipStackEvents = {
  /** Every parsed message in and every message out (for Prometheus counters and SIP traces). */
  message: [direction: Direction, msg: SipMessage, conn: SipConnection];
  /** A message that could not be parsed; `answered` is true when an error response went back. */
  parseError: [error: SipParseError, conn: SipConnection, answered: boolean];
  connectionOpened: [conn: SipConnection];
  connectionClosed: [conn: SipConnection];
};

export interface SipCounters {
  requests: Record<string, number>;
  responses: Record<string, number>;
}

export interface SipStackStats {
  in: SipCounters;
  out: SipCounters;
  parseErrors: number;
  /** Responses that matched no client transaction, and messages received after close. */
  dropped: number;
  clientTransactions: number;
  serverTransactions: number;
  connections: number;
}

function sentBy(req: SipRequest): string {
  const via = req.via[0]!;
  return `${via.host}:${via.port ?? ''}`;
}

/** RFC 3261 §17.2.3 (and the RFC 2543 fallback for branches without the magic cookie). */
export function serverKey(req: SipRequest, method: string = req.method): string {
  const m = method === 'ACK' ? 'INVITE' : method;
  const branch = req.via[0]?.params.branch ?? '';
  if (branch.startsWith(BRANCH_MAGIC_COOKIE)) return `${branch}|${sentBy(req)}|${m}`;
  return `2543|${req.callId}|${req.from.params.tag ?? ''}|${req.cseq.seq}|${sentBy(req)}|${branch}|${m}`;
}

export class SipStack extends TypedEmitter<SipStackEvents> {
  readonly connections = new ConnectionRegistry();
  readonly #clock: Clock;
  readonly #logger: SipLogger;
  readonly #timers: TimerConfig;
  readonly #maxBytes: number;
  readonly #viaHost: string;
  readonly #client = new Map<string, ClientTx>();
  readonly #server = new Map<string, ServerTx>();
  readonly #closedConns = new WeakSet<SipConnection>();
  readonly #stats: { in: SipCounters; out: SipCounters; parseErrors: number; dropped: number } = {
    in: { requests: {}, responses: {} },
    out: { requests: {}, responses: {} },
    parseErrors: 0,
    dropped: 0,
  };
  #tu: SipUserAgentCore | null;
  #closed = false;

  constructor(options: SipStackOptions = {}) {
    super();
    this.#tu = options.tu ?? null;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#timers = { ...DEFAULT_TIMERS, ...options.timers };
    this.#maxBytes = options.maxMessageBytes ?? 65536;
    this.#viaHost = options.viaHost ?? DEFAULT_VIA_HOST;
    this.onListenerError((event, error) => this.#logger.error({ err: error, event }, 'sip stack listener threw'));
  }

  /** Attach the TU after construction (the B2BUA needs the stack to exist first). */
  setUserAgentCore(tu: SipUserAgentCore): void {
    this.#tu = tu;
  }

  connectionOpened(conn: SipConnection): void {
    if (this.#closed || this.#closedConns.has(conn) || this.connections.has(conn)) return;
    this.connections.add(conn);
    this.safeEmit('connectionOpened', conn);
  }

  /** Fail the client transactions on the connection (RFC 3261 §17.1.4), drop its server ones; idempotent. */
  connectionClosed(conn: SipConnection): void {
    if (this.#closedConns.has(conn)) return;
    this.#closedConns.add(conn);
    this.connections.remove(conn);
    for (const tx of [...this.#client.values(), ...this.#server.values()]) {
      if (tx.connection === conn) tx.connectionClosed();
    }
    this.safeEmit('connectionClosed', conn);
  }

  /** One complete message from a transport. Never throws. */
  receive(conn: SipConnection, text: string): void {
    try {
      if (this.#closed || this.#closedConns.has(conn)) {
        this.#stats.dropped++;
        return;
      }
      if (!this.connections.has(conn)) this.connectionOpened(conn);
      let msg: SipMessage;
      try {
        msg = parseMessage(text, { maxBytes: this.#maxBytes });
      } catch (error) {
        if (error instanceof SipParseError) this.#parseError(conn, error);
        else throw error;
        return;
      }
      this.#count('in', msg, conn);
      if (msg.kind === 'request') this.#receiveRequest(conn, msg);
      else this.#receiveResponse(conn, msg);
    } catch (error) {
      this.#logger.error({ err: error, conn: conn.id }, 'sip stack failed on an incoming message');
    }
  }

  #parseError(conn: SipConnection, error: SipParseError): void {
    this.#stats.parseErrors++;
    const response = error.errorResponse();
    let answered = false;
    if (response !== null) {
      try {
        sendOn(conn, response);
        answered = true;
        const key = String(error.status);
        this.#stats.out.responses[key] = (this.#stats.out.responses[key] ?? 0) + 1;
      } catch {
        // the connection went away; nothing to answer on
      }
    }
    this.#logger.warn({ conn: conn.id, status: error.status, reason: error.reason, answered }, 'unparseable SIP message');
    this.safeEmit('parseError', error, conn, answered);
  }

  #receiveRequest(conn: SipConnection, req: SipRequest): void {
    this.#markReceived(conn, req);
    const maxForwards = req.headers.get('max-forwards')?.[0];
    if (maxForwards !== undefined && !/^\s*\d{1,10}\s*$/.test(maxForwards)) {
      if (req.method !== 'ACK') this.#stateless(conn, req, SipError.badRequest('Bad Request - Invalid Max-Forwards'));
      return;
    }
    if (req.method === 'ACK') return this.#receiveAck(conn, req);
    const key = serverKey(req);
    const existing = this.#server.get(key);
    if (existing) return existing.receiveRequest();
    if (req.method === 'CANCEL') return this.#receiveCancel(conn, req);
    const tx = this.#newTx(conn, this.#server, key, (ctx): ServerTx =>
      req.method === 'INVITE' ? new InviteServerTransaction(req, conn, ctx) : new NonInviteServerTransaction(req, conn, ctx),
    );
    if (tx.terminated) return;
    const tu = this.#tu;
    if (!tu) {
      tx.respond(503);
      return;
    }
    try {
      tu.onRequest(tx);
    } catch (error) {
      this.#logger.error({ err: error, method: req.method, callId: req.callId }, 'TU threw on a request');
      if (!tx.answered && !tx.terminated) tx.respond(500);
    }
  }

  #receiveAck(conn: SipConnection, ack: SipRequest): void {
    const tx = this.#server.get(serverKey(ack, 'INVITE'));
    if (tx instanceof InviteServerTransaction && tx.connection === conn && tx.receiveAck()) return;
    this.#callTu('onAck', (tu) => tu.onAck(ack, conn));
  }

  /** RFC 3261 §9.2: 200 to a CANCEL that matches a transaction (To tag as in the INVITE's responses), else 481. */
  #receiveCancel(conn: SipConnection, cancel: SipRequest): void {
    const invite = this.#server.get(serverKey(cancel, 'INVITE'));
    const match = invite instanceof InviteServerTransaction && invite.connection === conn ? invite : undefined;
    const tx = this.#newTx(conn, this.#server, serverKey(cancel), (ctx) => new NonInviteServerTransaction(cancel, conn, ctx, match?.localTag));
    if (!match) {
      tx.respond(481);
      return;
    }
    tx.respond(200);
    if (match.markCancelled()) this.#callTu('onCancel', (tu) => tu.onCancel(match));
  }

  #receiveResponse(conn: SipConnection, res: SipResponse): void {
    const tx = this.#client.get(clientKey(res.via[0]?.params.branch ?? '', res.cseq.method));
    if (!tx || tx.connection !== conn) {
      this.#stats.dropped++;
      this.#logger.debug({ conn: conn.id, status: res.status, callId: res.callId }, 'response matches no transaction');
      return;
    }
    tx.receiveResponse(res);
  }

  /**
   * Send a request in a new client transaction. Adds a Via (with a new branch) when the request has none and
   * a branch when its top Via lacks one. Throws `ClosedError` when the connection cannot take the request
   * (the handlers are then never called); later failures arrive through `handlers.onError`.
   */
  sendRequest(conn: SipConnection, req: SipRequest, handlers: ClientTransactionHandlers = {}): ClientTx {
    if (this.#closed) throw ClosedError.closed('sip stack');
    if (req.method === 'ACK') throw new TypeError('ACK is not sent in a transaction: use sendAck');
    this.#ensureBranch(conn, req);
    let key = clientKey(req.via[0]!.params.branch!, req.method);
    if (this.#client.has(key) && req.method !== 'CANCEL') {
      req.via[0]!.params.branch = newBranch();
      key = clientKey(req.via[0]!.params.branch, req.method);
    }
    const tx = this.#newTx(conn, this.#client, key, (ctx): ClientTx =>
      req.method === 'INVITE'
        ? new InviteClientTransaction(req, conn, ctx, handlers, (cancel) => this.#sendCancel(conn, cancel))
        : new NonInviteClientTransaction(req, conn, ctx, handlers),
    );
    try {
      tx.start();
    } catch (error) {
      tx.dispose();
      throw error instanceof ClosedError ? error : ClosedError.transport();
    }
    return tx;
  }

  #sendCancel(conn: SipConnection, cancel: SipRequest): void {
    try {
      this.sendRequest(conn, cancel, {
        onFinal: (res) => this.#logger.debug({ status: res.status, callId: cancel.callId }, 'CANCEL answered'),
        onError: (err) => this.#logger.debug({ err, callId: cancel.callId }, 'CANCEL failed'),
      });
    } catch (error) {
      this.#logger.debug({ err: error, callId: cancel.callId }, 'CANCEL could not be sent');
    }
  }

  /**
   * Send an ACK for a 2xx (RFC 3261 §13.2.2.4) outside any transaction; the INVITE's client transaction, while
   * Accepted, re-sends it for each retransmitted 2xx. Throws `ClosedError` when the connection is gone.
   */
  sendAck(conn: SipConnection, ack: SipRequest): void {
    if (this.#closed) throw ClosedError.closed('sip stack');
    this.#ensureBranch(conn, ack);
    this.#send(conn, ack);
    for (const tx of this.#client.values()) {
      if (tx instanceof InviteClientTransaction && tx.request.callId === ack.callId && tx.request.cseq.seq === ack.cseq.seq) {
        tx.ackSent(ack);
      }
    }
  }

  #ensureBranch(conn: SipConnection, req: SipRequest): void {
    if (req.via.length === 0) req.via.push(createVia({ transport: conn.transport, host: this.#viaHost }));
    const top = req.via[0]!;
    if (!top.params.branch?.startsWith(BRANCH_MAGIC_COOKIE)) top.params.branch = newBranch();
  }

  /** §18.2.1 and RFC 3581: note where the request really came from. */
  #markReceived(conn: SipConnection, req: SipRequest): void {
    const via = req.via[0];
    if (!via) return;
    if (via.host !== conn.remote.address) via.params.received = conn.remote.address;
    if ('rport' in via.params && via.params.rport === null) via.params.rport = String(conn.remote.port);
  }

  #stateless(conn: SipConnection, req: SipRequest, error: SipError): void {
    try {
      this.#send(conn, createResponse(req, error.status, error.reason));
    } catch {
      // connection gone
    }
  }

  #send(conn: SipConnection, msg: SipMessage): void {
    sendOn(conn, serializeMessage(msg));
    this.#count('out', msg, conn);
  }

  /** Create a transaction with its context and put it in its table until it terminates. */
  #newTx<T extends ClientTx | ServerTx>(conn: SipConnection, table: Map<string, T>, key: string, make: (ctx: TransactionContext) => T): T {
    let tx: T | null = null;
    const ctx: TransactionContext = {
      clock: this.#clock,
      timers: this.#timers,
      reliable: isReliableTransport(conn.transport),
      logger: this.#logger,
      send: (msg) => this.#send(conn, msg),
      onTerminated: () => {
        if (tx !== null && table.get(key) === tx) table.delete(key);
      },
    };
    tx = make(ctx);
    if (!tx.terminated) table.set(key, tx);
    return tx;
  }

  #callTu(what: string, fn: (tu: SipUserAgentCore) => void): void {
    if (!this.#tu) return;
    try {
      fn(this.#tu);
    } catch (error) {
      this.#logger.error({ err: error, what }, 'TU threw');
    }
  }

  #count(direction: Direction, msg: SipMessage, conn: SipConnection): void {
    const counters: SipCounters = this.#stats[direction];
    const table = msg.kind === 'request' ? counters.requests : counters.responses;
    const key = msg.kind === 'request' ? msg.method : String(msg.status);
    table[key] = (table[key] ?? 0) + 1;
    this.safeEmit('message', direction, msg, conn);
  }

  /** A copy of the counters. */
  stats(): SipStackStats {
    return {
      ...structuredClone(this.#stats),
      clientTransactions: this.#client.size,
      serverTransactions: this.#server.size,
      connections: this.connections.size,
    };
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Fail pending client transactions, drop server ones, stop every timer. Idempotent; connections stay. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const tx of [...this.#client.values()]) tx.connectionClosed();
    for (const tx of [...this.#server.values()]) tx.dispose();
    this.#client.clear();
    this.#server.clear();
  }
}
