/**
 * The non-INVITE client transaction (RFC 3261 §17.1.2).
 *
 * ```
 *          request sent (Timer E if unreliable, Timer F)
 *                    |
 *   Trying ---1xx: to TU---> Proceeding
 *     |                         |
 *     +--200-699: to TU--+------+--200-699: to TU
 *     |                  v
 *     |              Completed (Timer K: T4 unreliable, 0 reliable)
 *     |                  |
 *     +--Timer F / transport error--> Terminated <--+
 * ```
 */
import { ClosedError, TimeoutError } from '../errors.js';
import type { SipConnection } from './connection.js';
import type { SipRequest, SipResponse } from './message.js';
import {
  Transaction,
  type ClientTransaction,
  type ClientTransactionHandlers,
  type TransactionContext,
  type TransitionTable,
} from './transaction.js';

export type NonInviteClientState = 'trying' | 'proceeding' | 'completed' | 'terminated';

export const nonInviteClientTransitions: TransitionTable<NonInviteClientState> = {
  trying: ['proceeding', 'completed', 'terminated'],
  proceeding: ['completed', 'terminated'],
  completed: ['terminated'],
  terminated: [],
};

export class NonInviteClientTransaction extends Transaction<NonInviteClientState> implements ClientTransaction {
  readonly kind = 'non-invite-client';
  readonly #handlers: ClientTransactionHandlers;

  constructor(request: SipRequest, connection: SipConnection, ctx: TransactionContext, handlers: ClientTransactionHandlers) {
    super('NonInviteClientTransaction', nonInviteClientTransitions, 'trying', request, connection, ctx);
    this.#handlers = handlers;
  }

  /** Send the request; throws `ClosedError` when the first send fails. */
  start(): void {
    this.ctx.send(this.request);
    const { t1 } = this.ctx.timers;
    if (!this.ctx.reliable) this.#scheduleTimerE(t1);
    this.timers.start('F', 64 * t1, () => this.#fail(TimeoutError.transaction(`${this.request.method} transaction (Timer F)`)));
  }

  /** §17.1.2.2: E doubles up to T2 in Trying and stays at T2 in Proceeding. */
  #scheduleTimerE(interval: number): void {
    this.timers.start('E', interval, () => {
      if (this.state !== 'trying' && this.state !== 'proceeding') return;
      if (!this.trySend(this.request)) return;
      const { t2 } = this.ctx.timers;
      this.#scheduleTimerE(this.state === 'proceeding' ? t2 : Math.min(interval * 2, t2));
    });
  }

  receiveResponse(res: SipResponse): void {
    const state = this.state;
    if (state !== 'trying' && state !== 'proceeding') return; // Completed absorbs retransmissions
    if (res.status < 200) {
      if (state === 'trying') this.transition('proceeding');
      this.callTu('onProvisional', () => this.#handlers.onProvisional?.(res));
      return;
    }
    this.timers.cancel('E');
    this.timers.cancel('F');
    this.transition('completed');
    this.callTu('onFinal', () => this.#handlers.onFinal?.(res));
    if (this.terminated) return;
    const k = this.ctx.reliable ? 0 : this.ctx.timers.t4;
    if (k <= 0) this.transition('terminated');
    else this.timers.start('K', k, () => this.transition('terminated'));
  }

  /** §9.1: CANCEL applies to INVITE only. */
  cancel(): void {}

  #fail(error: TimeoutError | ClosedError): void {
    if (this.terminated) return;
    const awaitingFinal = this.state !== 'completed';
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
