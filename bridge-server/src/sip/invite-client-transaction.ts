/**
 * The INVITE client transaction (RFC 3261 §17.1.1, with the Accepted state of RFC 6026 §7.2).
 *
 * ```
 *                 INVITE sent (Timer A if unreliable, Timer B)
 *                        |
 *   1xx  +-----------  Calling  -----------+ 300-699: ACK, to TU
 *   to TU|                |  2xx: to TU     |
 *        v                |                 v
 *   Proceeding ---2xx-----+-----------> Accepted (Timer M)   Completed (Timer D; ACK re-sent
 *        |  300-699: ACK, to TU ------------------------->    for each retransmitted final)
 *        |                                    |                   |
 *        +--- Timer B / transport error ------+-------> Terminated <+
 * ```
 * In Accepted, a 2xx with a new To tag (a fork) goes to the TU; a retransmitted 2xx is answered with the
 * ACK the TU sent for it (RFC 3261 §13.2.2.4), remembered through {@link InviteClientTransaction.ackSent}.
 */
import { ClosedError, TimeoutError } from '../errors.js';
import type { SipConnection } from './connection.js';
import { createCancel, createNon2xxAck, type ExtraHeaders } from './message-builders.js';
import type { SipRequest, SipResponse } from './message.js';
import {
  Transaction,
  type ClientTransaction,
  type ClientTransactionHandlers,
  type TransactionContext,
  type TransitionTable,
} from './transaction.js';

export type InviteClientState = 'calling' | 'proceeding' | 'completed' | 'accepted' | 'terminated';

export const inviteClientTransitions: TransitionTable<InviteClientState> = {
  calling: ['proceeding', 'completed', 'accepted', 'terminated'],
  proceeding: ['completed', 'accepted', 'terminated'],
  completed: ['terminated'],
  accepted: ['terminated'],
  terminated: [],
};

export class InviteClientTransaction extends Transaction<InviteClientState> implements ClientTransaction {
  readonly kind = 'invite-client';
  readonly #handlers: ClientTransactionHandlers;
  readonly #sendCancel: (cancel: SipRequest) => void;
  #ack: SipRequest | null = null;
  /** 2xx To tags seen, with the TU's ACK for each once sent. */
  #acksByTag = new Map<string, SipRequest | null>();
  #cancel: { headers?: ExtraHeaders } | null = null;
  #cancelSent = false;

  /**
   * @param sendCancel how the stack sends a CANCEL in its own non-INVITE client transaction (RFC 3261 §9.1).
   */
  constructor(
    request: SipRequest,
    connection: SipConnection,
    ctx: TransactionContext,
    handlers: ClientTransactionHandlers,
    sendCancel: (cancel: SipRequest) => void,
  ) {
    super('InviteClientTransaction', inviteClientTransitions, 'calling', request, connection, ctx);
    this.#handlers = handlers;
    this.#sendCancel = sendCancel;
  }

  /** Send the INVITE; throws `ClosedError` when the first send fails (nothing to time out then). */
  start(): void {
    this.ctx.send(this.request);
    const { t1 } = this.ctx.timers;
    if (!this.ctx.reliable) this.#scheduleTimerA(t1);
    this.timers.start('B', 64 * t1, () => this.#fail(TimeoutError.transaction('INVITE transaction (Timer B)')));
  }

  #scheduleTimerA(interval: number): void {
    this.timers.start('A', interval, () => {
      if (this.state !== 'calling') return;
      if (this.trySend(this.request)) this.#scheduleTimerA(interval * 2);
    });
  }

  /** A response matched to this transaction (RFC 3261 §17.1.3). */
  receiveResponse(res: SipResponse): void {
    const state = this.state;
    if (res.status < 200) {
      if (state !== 'calling' && state !== 'proceeding') return;
      if (state === 'calling') {
        this.timers.cancel('A');
        this.timers.cancel('B');
        this.transition('proceeding');
      }
      this.callTu('onProvisional', () => this.#handlers.onProvisional?.(res));
      if (this.#cancel && !this.#cancelSent) this.#doCancel();
    } else if (res.status < 300) {
      this.#receive2xx(res);
    } else if (state === 'calling' || state === 'proceeding') {
      this.#ack = createNon2xxAck(this.request, res);
      this.transition('completed');
      this.callTu('onFinal', () => this.#handlers.onFinal?.(res));
      if (!this.trySend(this.#ack) || this.terminated) return;
      this.#waitThenTerminate('D', this.ctx.reliable ? 0 : Math.max(32_000, 64 * this.ctx.timers.t1));
    } else if (state === 'completed' && this.#ack) {
      this.trySend(this.#ack); // §17.1.1.2: a retransmitted final response is ACKed again, not passed up
    }
  }

  #receive2xx(res: SipResponse): void {
    const tag = res.to.params.tag ?? '';
    if (this.state === 'calling' || this.state === 'proceeding') {
      this.transition('accepted');
      this.#acksByTag.set(tag, null);
      this.timers.start('M', 64 * this.ctx.timers.t1, () => this.transition('terminated'));
      this.callTu('onFinal', () => this.#handlers.onFinal?.(res));
    } else if (this.state === 'accepted') {
      const ack = this.#acksByTag.get(tag);
      if (ack === undefined) {
        this.#acksByTag.set(tag, null);
        this.callTu('onFinal', () => this.#handlers.onFinal?.(res)); // RFC 6026 §7.2: another fork
      } else if (ack !== null) {
        this.trySend(ack);
      }
    }
  }

  /** The TU sent an ACK for one of our 2xx; remember it to answer retransmissions of that 2xx. */
  ackSent(ack: SipRequest): void {
    if (this.state === 'accepted') this.#acksByTag.set(ack.to.params.tag ?? '', ack);
  }

  cancel(opts: { headers?: ExtraHeaders } = {}): void {
    if (this.#cancel || (this.state !== 'calling' && this.state !== 'proceeding')) return;
    this.#cancel = opts;
    if (this.state === 'proceeding') this.#doCancel();
  }

  /** Whether `cancel()` was called (the TU can tell a 487 it asked for from one it did not). */
  get cancelRequested(): boolean {
    return this.#cancel !== null;
  }

  #doCancel(): void {
    this.#cancelSent = true;
    this.#sendCancel(createCancel(this.request, this.#cancel ?? {}));
    // §9.1: without a final response 64*T1 after the CANCEL, consider the INVITE cancelled.
    this.timers.start('cancel', 64 * this.ctx.timers.t1, () => {
      if (this.state === 'proceeding') this.#fail(TimeoutError.transaction('INVITE transaction (no final response after CANCEL)'));
    });
  }

  #waitThenTerminate(timer: string, ms: number): void {
    if (ms <= 0) this.transition('terminated');
    else this.timers.start(timer, ms, () => this.transition('terminated'));
  }

  #fail(error: TimeoutError | ClosedError): void {
    if (this.terminated) return;
    const awaitingFinal = this.state === 'calling' || this.state === 'proceeding';
    this.transition('terminated');
    if (awaitingFinal) this.callTu('onError', () => this.#handlers.onError?.(error));
  }

  protected onTransportError(error: ClosedError): void {
    this.#fail(error);
  }

  connectionClosed(): void {
    this.#fail(ClosedError.transport());
  }
}
