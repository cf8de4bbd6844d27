/**
 * What the four RFC 3261 §17 transaction machines share: the timer values, the context the stack gives a
 * transaction, the transition check (CONVENTIONS #2) and the public shapes the TU sees.
 */
import type { Clock, TimerHandle } from '../clock.js';
import { ClosedError, type SambungError } from '../errors.js';
import { StateMachine, type TransitionTable } from '../state-machine.js';
import { TypedEmitter } from '../typed-emitter.js';
import type { SipConnection } from './connection.js';
import { createResponse, type ExtraHeaders, type ResponseOptions } from './message-builders.js';
import type { SipMessage, SipRequest, SipResponse } from './message.js';

/** RFC 3261 §17.1.1.1 / Table 4 base values. */
export interface TimerConfig {
  /** RTT estimate, 500 ms. */
  t1: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses, 4 s. */
  t2: number;
  /** Maximum duration a message remains in the network, 5 s. */
  t4: number;
}

export const DEFAULT_TIMERS: Readonly<TimerConfig> = { t1: 500, t2: 4000, t4: 5000 };

/** A pino-like logger (only the methods we call). */
export interface SipLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const silentLogger: SipLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** What the stack gives each transaction. */
export interface TransactionContext {
  readonly clock: Clock;
  readonly timers: TimerConfig;
  /** False only for UDP-like transports: then Timers A, E and G retransmit and D, I, J, K wait. */
  readonly reliable: boolean;
  readonly logger: SipLogger;
  /** Serialize and write on the transaction's connection; throws `ClosedError` when it cannot. */
  send(msg: SipMessage): void;
  /** Called once when the transaction reaches Terminated, so the stack drops it from its table. */
  onTerminated(): void;
}

/** Named one-shot timers that are all cancelled when the transaction terminates. */
export class TimerSet {
  readonly #clock: Clock;
  readonly #handles = new Map<string, TimerHandle>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  start(name: string, ms: number, fn: () => void): void {
    this.cancel(name);
    const handle = this.#clock.setTimeout(() => {
      this.#handles.delete(name);
      fn();
    }, ms);
    this.#handles.set(name, handle);
  }

  cancel(name: string): void {
    this.#handles.get(name)?.cancel();
    this.#handles.delete(name);
  }

  has(name: string): boolean {
    return this.#handles.has(name);
  }

  cancelAll(): void {
    for (const handle of this.#handles.values()) handle.cancel();
    this.#handles.clear();
  }

  get size(): number {
    return this.#handles.size;
  }
}

export type { TransitionTable } from '../state-machine.js';

export type TransactionEvents<S extends string> = {
  state: [to: S, from: S];
  /** A server transaction failed on its own: Timer H (no ACK) or the transport. */
  failed: [error: SambungError];
};

/**
 * Base of the four machines: one `transition(to)` checks the table, emits `state`, and on Terminated cancels
 * every timer and tells the stack. Nothing else assigns the state.
 */
export abstract class Transaction<S extends string> extends TypedEmitter<TransactionEvents<S | 'terminated'>> {
  readonly request: SipRequest;
  readonly connection: SipConnection;
  /** The top Via branch of the request. */
  readonly branch: string;
  protected readonly ctx: TransactionContext;
  protected readonly timers: TimerSet;
  readonly #machine: string;
  readonly #fsm: StateMachine<S | 'terminated'>;

  protected constructor(
    machine: string,
    table: TransitionTable<S | 'terminated'>,
    initial: S,
    request: SipRequest,
    connection: SipConnection,
    ctx: TransactionContext,
  ) {
    super();
    this.#machine = machine;
    this.#fsm = new StateMachine<S | 'terminated'>(machine, table, initial);
    this.request = request;
    this.connection = connection;
    this.branch = request.via[0]?.params.branch ?? '';
    this.ctx = ctx;
    this.timers = new TimerSet(ctx.clock);
    this.onListenerError((event, error) => ctx.logger.error({ err: error, event, machine }, 'transaction listener threw'));
  }

  get state(): S | 'terminated' {
    return this.#fsm.state;
  }

  get terminated(): boolean {
    return this.#fsm.state === 'terminated';
  }

  /** The single place the state changes (CONVENTIONS #2). */
  protected transition(to: S | 'terminated'): void {
    const from = this.#fsm.state;
    this.#fsm.transition(to);
    if (to === 'terminated') this.timers.cancelAll();
    this.ctx.logger.debug({ machine: this.#machine, branch: this.branch, from, to }, 'transaction state');
    this.safeEmit('state', to, from);
    if (to === 'terminated') {
      this.ctx.onTerminated();
      this.removeAllListeners();
    }
  }

  /** Send a message; on failure report it (subclass decides how) and terminate. */
  protected trySend(msg: SipMessage): boolean {
    try {
      this.ctx.send(msg);
      return true;
    } catch (error) {
      this.onTransportError(error instanceof ClosedError ? error : ClosedError.transport());
      return false;
    }
  }

  /** Run a TU callback; a throw is logged, never propagated into the transaction layer. */
  protected callTu(what: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.ctx.logger.error({ err: error, branch: this.branch, what }, 'transaction user threw');
    }
  }

  /** RFC 3261 §17.1.4 / §17.2.4: a transport error informs the TU and terminates the transaction. */
  protected abstract onTransportError(error: ClosedError): void;

  /** The connection went away. */
  abstract connectionClosed(): void;

  /** Terminate without telling the TU (stack shutdown). */
  dispose(): void {
    if (!this.terminated) this.transition('terminated');
  }
}

/** Callbacks a client transaction reports to its TU (RFC 3261 §17.1). */
export interface ClientTransactionHandlers {
  /** 101–199 (a 100 too: the TU may ignore it). */
  onProvisional?(response: SipResponse): void;
  /**
   * The final response. For INVITE: a 3xx–6xx has already been ACKed by the transaction; each 2xx (one per
   * To tag) must be ACKed by the TU with `SipStack.sendAck` (RFC 3261 §13.2.2.4).
   */
  onFinal?(response: SipResponse): void;
  /** Timer B/F expiry (`TimeoutError`) or transport failure (`ClosedError`); no final response will come. */
  onError?(error: SambungError): void;
}

/** A client transaction as the TU sees it. */
export interface ClientTransaction {
  readonly kind: 'invite-client' | 'non-invite-client';
  readonly request: SipRequest;
  readonly connection: SipConnection;
  readonly branch: string;
  readonly state: string;
  /**
   * INVITE only: CANCEL the request (RFC 3261 §9.1) — sent at once when a provisional has arrived, else as
   * soon as one does; nothing is sent once a final response is in. A no-op on non-INVITE transactions.
   */
  cancel(opts?: { headers?: ExtraHeaders }): void;
}

export interface RespondOptions extends ResponseOptions {
  reason?: string;
}

/** A server transaction as the TU sees it. */
export interface ServerTransaction {
  readonly kind: 'invite-server' | 'non-invite-server';
  readonly request: SipRequest;
  readonly connection: SipConnection;
  readonly state: string;
  /** The To tag used for responses to an out-of-dialog request (the same for all of them). */
  readonly localTag: string;
  /** True once a final response has been sent. */
  readonly answered: boolean;
  /**
   * Send a response. With a status, the response is built from the request (RFC 3261 §8.2.6) with
   * `localTag`. A response after a final one throws `TransitionError` (except 2xx retransmissions of an
   * INVITE); on a terminated transaction (its connection closed) it is a no-op. Returns what was sent.
   */
  respond(response: SipResponse): SipResponse;
  respond(status: number, opts?: RespondOptions): SipResponse;
  on(event: 'state', fn: (to: string, from: string) => void): unknown;
  on(event: 'failed', fn: (error: SambungError) => void): unknown;
}

/** The key a response matches its client transaction by (RFC 3261 §17.1.3). */
export function clientKey(branch: string, cseqMethod: string): string {
  return `${branch}|${cseqMethod === 'ACK' ? 'INVITE' : cseqMethod}`;
}

/** The response a server transaction sends for `respond(status, opts)` or `respond(response)`. */
export function buildResponse(
  request: SipRequest,
  localTag: string,
  statusOrResponse: number | SipResponse,
  opts: RespondOptions = {},
): SipResponse {
  if (typeof statusOrResponse !== 'number') return statusOrResponse;
  return createResponse(request, statusOrResponse, opts.reason, { ...opts, toTag: opts.toTag ?? localTag });
}
