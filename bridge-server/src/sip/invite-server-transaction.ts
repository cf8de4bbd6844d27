/**
 * The INVITE server transaction (RFC 3261 §17.2.1, with the Accepted state of RFC 6026 §7.1).
 *
 * ```
 *           INVITE received: 100 Trying sent
 *                    |
 *               Proceeding  <--- INVITE retransmitted: last provisional re-sent; 1xx from TU: sent
 *          2xx from TU |  \ 300-699 from TU: sent (Timer G if unreliable, Timer H)
 *                      v   v
 *   (Timer L) Accepted    Completed  <--- INVITE retransmitted: final re-sent
 *   2xx re-sends  |        |    \ ACK
 *   from TU pass  |        |     v
 *                 |        |   Confirmed (Timer I: T4 unreliable, 0 reliable) --- ACKs absorbed
 *                 |   Timer H: TU told |
 *                 +--------+-----------+---> Terminated
 * ```
 * The ACK for a 2xx carries a new branch, matches no transaction and goes to the TU (§13.3.1.4).
 */
import { ClosedError, TimeoutError, TransitionError } from '../errors.js';
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

export type InviteServerState = 'proceeding' | 'completed' | 'confirmed' | 'accepted' | 'terminated';

export const inviteServerTransitions: TransitionTable<InviteServerState> = {
  proceeding: ['completed', 'accepted', 'terminated'],
  completed: ['confirmed', 'terminated'],
  confirmed: ['terminated'],
  accepted: ['terminated'],
  terminated: [],
};

export interface InviteServerOptions {
  /** Send 100 Trying at once (§17.2.1 allows it; the B2BUA always takes longer than 200 ms). Default true. */
  sendTrying?: boolean;
}

export class InviteServerTransaction extends Transaction<InviteServerState> implements ServerTransaction {
  readonly kind = 'invite-server';
  readonly localTag = newTag();
  #lastResponse: SipResponse | null = null;
  #cancelled = false;

  constructor(request: SipRequest, connection: SipConnection, ctx: TransactionContext, opts: InviteServerOptions = {}) {
    super('InviteServerTransaction', inviteServerTransitions, 'proceeding', request, connection, ctx);
    if (opts.sendTrying ?? true) this.respond(100);
  }

  get answered(): boolean {
    return this.state !== 'proceeding';
  }

  /** The last response sent (a provisional in Proceeding, the final one after). */
  get lastResponse(): SipResponse | null {
    return this.#lastResponse;
  }

  /** Whether a CANCEL for this INVITE arrived (RFC 3261 §9.2). */
  get cancelled(): boolean {
    return this.#cancelled;
  }

  respond(response: SipResponse): SipResponse;
  respond(status: number, opts?: RespondOptions): SipResponse;
  respond(statusOrResponse: number | SipResponse, opts?: RespondOptions): SipResponse {
    const res = buildResponse(this.request, this.localTag, statusOrResponse, opts);
    const state = this.state;
    if (state === 'terminated') return res;
    if (res.status < 200) {
      if (state !== 'proceeding') throw this.#illegal('proceeding');
      this.#lastResponse = res;
      this.trySend(res);
    } else if (res.status < 300) {
      if (state === 'accepted') {
        this.trySend(res); // RFC 6026 §7.1: the TU's 2xx retransmissions pass through
      } else {
        if (state !== 'proceeding') throw this.#illegal('accepted');
        this.#lastResponse = res;
        this.transition('accepted');
        this.timers.start('L', 64 * this.ctx.timers.t1, () => this.transition('terminated'));
        this.trySend(res);
      }
    } else {
      if (state !== 'proceeding') throw this.#illegal('completed');
      this.#lastResponse = res;
      this.transition('completed');
      if (!this.trySend(res)) return res;
      const { t1 } = this.ctx.timers;
      if (!this.ctx.reliable) this.#scheduleTimerG(t1);
      this.timers.start('H', 64 * t1, () => {
        this.safeEmit('failed', TimeoutError.transaction('INVITE server transaction (Timer H, no ACK)'));
        this.transition('terminated');
      });
    }
    return res;
  }

  /** A response the table does not allow now, e.g. a second final response. */
  #illegal(to: InviteServerState): TransitionError {
    return TransitionError.illegal('InviteServerTransaction', this.state, to);
  }

  #scheduleTimerG(interval: number): void {
    this.timers.start('G', interval, () => {
      if (this.state !== 'completed' || !this.#lastResponse) return;
      if (this.trySend(this.#lastResponse)) this.#scheduleTimerG(Math.min(interval * 2, this.ctx.timers.t2));
    });
  }

  /** A retransmission of the INVITE (§17.2.1). */
  receiveRequest(): void {
    if ((this.state === 'proceeding' || this.state === 'completed') && this.#lastResponse) this.trySend(this.#lastResponse);
  }

  /**
   * An ACK matched to this transaction. Returns true when the transaction absorbed it (the ACK for our
   * 3xx–6xx); false when it belongs to the TU (an ACK for a 2xx that reused the INVITE's branch).
   */
  receiveAck(): boolean {
    if (this.state === 'accepted') return false;
    if (this.state !== 'completed') return true;
    this.timers.cancel('G');
    this.timers.cancel('H');
    this.transition('confirmed');
    const i = this.ctx.reliable ? 0 : this.ctx.timers.t4;
    if (i <= 0) this.transition('terminated');
    else this.timers.start('I', i, () => this.transition('terminated'));
    return true;
  }

  /** The stack answered a matching CANCEL 200; true when the TU should now answer the INVITE 487. */
  markCancelled(): boolean {
    if (this.#cancelled || this.state !== 'proceeding') return false;
    this.#cancelled = true;
    return true;
  }

  protected onTransportError(error: ClosedError): void {
    if (this.terminated) return;
    this.safeEmit('failed', error);
    this.transition('terminated');
  }

  /** The TU hears of it only while it still owes a final response. */
  connectionClosed(): void {
    if (this.state !== 'proceeding') this.dispose();
    else this.onTransportError(ClosedError.transport());
  }
}
