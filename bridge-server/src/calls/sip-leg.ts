import type { SipConnection } from '../sip/connection.js';
import type { Dialog } from '../sip/dialog.js';
import type { BodyOptions } from '../sip/message-builders.js';
import type { SipStack } from '../sip/sip-stack.js';
import type { ClientTransaction, ClientTransactionHandlers } from '../sip/transaction.js';
import { StateMachine } from '../state-machine.js';
import { legTransitions, type LegState } from './leg-state.js';

/**
 * One SIP leg of a call: the connection it lives on, its dialog once one exists, and its state as a
 * transition table. In-dialog requests go out through {@link SipLeg.request}.
 */
export class SipLeg {
  readonly role: 'uas' | 'uac';
  readonly connection: SipConnection;
  /** The Call-ID of this leg's dialog (the visitor's, or the one we generated for the agent INVITE). */
  readonly callId: string;
  readonly #fsm: StateMachine<LegState>;
  #dialog: Dialog | null = null;
  /** Our INVITE on an outbound (uac) leg while it is pending, so it can be CANCELled. */
  clientInvite: ClientTransaction | null = null;

  constructor(role: 'uas' | 'uac', connection: SipConnection, callId: string, onChange?: (from: LegState, to: LegState) => void) {
    this.role = role;
    this.connection = connection;
    this.callId = callId;
    this.#fsm = new StateMachine(`${role}-leg`, legTransitions, 'trying', onChange);
  }

  get state(): LegState {
    return this.#fsm.state;
  }

  get dialog(): Dialog | null {
    return this.#dialog;
  }

  /** Move the leg; moves to the current state are ignored (a second 1xx, a retransmitted 2xx). */
  transition(to: LegState): void {
    if (this.#fsm.state !== to) this.#fsm.transition(to);
  }

  /** Attach (or replace, early → confirmed) the dialog. */
  setDialog(dialog: Dialog): void {
    this.#dialog = dialog;
  }

  /** Send an in-dialog request; false when there is no usable dialog or connection. */
  request(stack: SipStack, method: string, opts: BodyOptions = {}, handlers: ClientTransactionHandlers = {}): boolean {
    const dialog = this.#dialog;
    if (!dialog || dialog.state === 'terminated' || this.connection.closed) return false;
    try {
      stack.sendRequest(this.connection, dialog.createRequest(method, opts), handlers);
      return true;
    } catch {
      return false;
    }
  }

  /** End the leg with a BYE when it is confirmed; otherwise just mark it terminated. */
  hangUp(stack: SipStack): void {
    if (this.state === 'confirmed') {
      this.transition('terminating');
      const sent = this.request(stack, 'BYE', {}, {
        onFinal: () => this.#finish(),
        onError: () => this.#finish(),
      });
      if (!sent) this.#finish();
      return;
    }
    this.#finish();
  }

  /** CANCEL our pending INVITE (RFC 3261 §9.1); the leg ends when its final response (487) arrives. */
  cancelInvite(): void {
    if (this.role !== 'uac' || this.state === 'terminated' || this.state === 'confirmed') return;
    this.transition('terminating');
    this.clientInvite?.cancel();
  }

  #finish(): void {
    this.#dialog?.terminate();
    this.transition('terminated');
  }
}
