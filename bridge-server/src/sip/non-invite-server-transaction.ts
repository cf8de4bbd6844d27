/**
 * The non-INVITE server transaction (RFC 3261 §17.2.2).
 *
 * ```
 *             request received: to TU
 *                    |
 *   Trying ---1xx from TU: sent---> Proceeding <--- request retransmitted: last 1xx re-sent
 *     |  (retransmissions absorbed)      |
 *     +--200-699 from TU: sent--+--------+--200-699 from TU: sent
 *                               v
 *                           Completed (Timer J: 64*T1 unreliable, 0 reliable) <--- retransmission: final re-sent
 *                               |
 *        transport error -----> Terminated
 * ```
 */
import { ClosedError, TransitionError } from '../errors.js';
import type { SipConnection } from './connection.js';
import { newTag } from './message-builders.js';
import type { SipRequest, SipResponse } from './message.js';
import {
  Transaction,
  buildResponse,
  type RespondOptions,
  type ServerTransaction,
  type TransactionContext,
  type TransitionTable,
} from './transaction.js';

export type NonInviteServerState = 'trying' | 'proceeding' | 'completed' | 'terminated';

export const nonInviteServerTransitions: TransitionTable<NonInviteServerState> = {
  trying: ['proceeding', 'completed', 'terminated'],
  proceeding: ['completed', 'terminated'],
  completed: ['terminated'],
  terminated: [],
};

export class NonInviteServerTransaction extends Transaction<NonInviteServerState> implements ServerTransaction {
  readonly kind = 'non-invite-server';
  readonly localTag: string;
  #lastResponse: SipResponse | null = null;

  /** @param localTag the To tag for responses (a CANCEL reuses its INVITE's, RFC 3261 §9.2). */
  constructor(request: SipRequest, connection: SipConnection, ctx: TransactionContext, localTag: string = newTag()) {
    super('NonInviteServerTransaction', nonInviteServerTransitions, 'trying', request, connection, ctx);
    this.localTag = localTag;
  }

  get answered(): boolean {
    return this.state === 'completed' || (this.state === 'terminated' && this.#lastResponse !== null && this.#lastResponse.status >= 200);
  }

  get lastResponse(): SipResponse | null {
    return this.#lastResponse;
  }

  respond(response: SipResponse): SipResponse;
  respond(status: number, opts?: RespondOptions): SipResponse;
  respond(statusOrResponse: number | SipResponse, opts?: RespondOptions): SipResponse {
    const res = buildResponse(this.request, this.localTag, statusOrResponse, opts);
    const state = this.state;
    if (state === 'terminated') return res;
    const to: NonInviteServerState = res.status < 200 ? 'proceeding' : 'completed';
    if (state === 'completed') throw TransitionError.illegal('NonInviteServerTransaction', state, to);
    this.#lastResponse = res;
    if (to !== state) this.transition(to);
    if (!this.trySend(res) || to === 'proceeding') return res;
    const j = this.ctx.reliable ? 0 : 64 * this.ctx.timers.t1;
    if (j <= 0) this.transition('terminated');
    else this.timers.start('J', j, () => this.transition('terminated'));
    return res;
  }

  /** A retransmission of the request: re-send the last response, if any (§17.2.2). */
  receiveRequest(): void {
    if (this.state !== 'trying' && this.#lastResponse) this.trySend(this.#lastResponse);
  }

  protected onTransportError(error: ClosedError): void {
    if (this.terminated) return;
    this.safeEmit('failed', error);
    this.transition('terminated');
  }

  /** The TU hears of it only while it still owes a final response. */
  connectionClosed(): void {
    if (this.state !== 'trying' && this.state !== 'proceeding') this.dispose();
    else this.onTransportError(ClosedError.transport());
  }
}
