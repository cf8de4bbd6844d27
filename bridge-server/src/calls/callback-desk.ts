import type { Clock } from '../clock.js';
import type { MediaOptions } from '../media/media-options.js';
import type { SipConnection } from '../sip/connection.js';
import { Dialog } from '../sip/dialog.js';
import type { Registrar } from '../sip/registrar.js';
import type { SipStack } from '../sip/sip-stack.js';
import type { ServerTransaction, SipLogger } from '../sip/transaction.js';
import type { Store } from '../store/store.js';
import type { AcdService } from './acd-service.js';
import { ringAgent } from './agent-invite.js';
import type { AgentRoster } from './agent-roster.js';
import type { AgentOffer, Caller } from './call.js';
import { CallbackCall } from './callback-call.js';

export interface CallbackDeskDeps {
  stack: SipStack;
  registrar: Registrar;
  media: MediaOptions;
  clock: Clock;
  log: SipLogger;
  store: Store;
  roster: AgentRoster;
  acd: AcdService;
  /** Report to the ACD that an agent did not take an offer. */
  ringFailed(tenantId: string, callId: string, agentId: string, why: 'rejected' | 'error'): void;
  /** Keep a store write visible to the B2BUA's flush. */
  track<T>(write: Promise<T>): Promise<T>;
}

/**
 * Callbacks offered to agents (a booked slot, or a caller who kept its place): ringing with
 * `X-Sambung-Call-Kind: callback`, the answer (the bridge holds the agent's leg; dialling out comes with the
 * PSTN trunk), and the end when the agent hangs up. The stored callback moves scheduled → offered → done.
 */
export class CallbackDesk {
  readonly #d: CallbackDeskDeps;
  readonly #byId = new Map<string, CallbackCall>();
  readonly #byDialog = new Map<string, CallbackCall>();

  constructor(deps: CallbackDeskDeps) {
    this.#d = deps;
  }

  get(id: string): CallbackCall | undefined {
    return this.#byId.get(id);
  }

  /** The ACD offers callback `id` to these agents. */
  offer(tenantId: string, id: string, queueName: string, data: unknown, agentIds: readonly string[]): void {
    const cb = this.#callbackFor(tenantId, id, queueName, data);
    for (const agentId of agentIds) this.#ring(cb, agentId);
  }

  /** Handle an in-dialog request if it belongs to a callback's agent leg: BYE ends it. */
  inDialog(tx: ServerTransaction): boolean {
    const cb = this.#byDialog.get(Dialog.idForRequest(tx.request));
    if (!cb) return false;
    if (tx.request.method !== 'BYE') {
      tx.respond(tx.request.method === 'INFO' ? 200 : 488);
      return true;
    }
    tx.respond(200);
    cb.agentLeg?.dialog?.terminate();
    cb.agentLeg?.transition('terminated');
    this.#end(cb);
    return true;
  }

  connectionClosed(conn: SipConnection): void {
    for (const cb of [...this.#byId.values()]) {
      if (cb.agentLeg?.connection === conn) this.#end(cb);
      else for (const offer of cb.offers) if (offer.leg?.connection === conn) this.#failed(cb, offer, 'error');
    }
  }

  #callbackFor(tenantId: string, id: string, queueName: string, data: unknown): CallbackCall {
    let cb = this.#byId.get(id);
    if (!cb) {
      const d = (data ?? {}) as Partial<Caller> & { callbackId?: string };
      cb = new CallbackCall({
        id,
        tenantId,
        queueName,
        caller: { visitorId: d.visitorId ?? 'callback', name: d.name ?? '', phone: d.phone ?? '', email: d.email ?? '' },
        callbackId: d.callbackId ?? null,
      });
      this.#byId.set(id, cb);
      if (cb.callbackId) void this.#d.track(this.#d.store.callbacks.setState(tenantId, cb.callbackId, 'offered'));
    }
    return cb;
  }

  #ring(cb: CallbackCall, agentId: string): void {
    const d = this.#d;
    const agent = d.roster.get(agentId);
    if (!agent || cb.ended) return d.ringFailed(cb.tenantId, cb.id, agentId, 'error');
    const offer = cb.addOffer(agent);
    void ringAgent(cb, offer, d, {
      onRinging: () => {},
      onFailed: (why) => this.#failed(cb, offer, why),
      onAnswered: async (leg, response, dialog) => {
        const engine = d.acd.loaded(cb.tenantId);
        if (!engine || cb.ended || offer.withdrawn || !offer.media) return leg.hangUp(d.stack);
        try {
          await offer.media.acceptAnswer(response.body);
          d.acd.run(cb.tenantId, engine.answered(cb.id, agentId));
        } catch (error) {
          d.log.info({ err: error, callbackId: cb.id }, 'callback answer not usable');
          leg.hangUp(d.stack);
          return this.#failed(cb, offer, 'error');
        }
        cb.connect(offer);
        this.#byDialog.set(dialog.id, cb);
        if (cb.callbackId) void d.track(d.store.callbacks.setState(cb.tenantId, cb.callbackId, 'done'));
        d.log.info({ callbackId: cb.id, agent: agent.username }, 'callback taken');
      },
    }).catch((err) => {
      d.log.error({ err, callbackId: cb.id }, 'offering a callback failed');
      this.#failed(cb, offer, 'error');
    });
  }

  /** An offer ended without the agent taking it: tell the ACD unless the ACD withdrew it. */
  #failed(cb: CallbackCall, offer: AgentOffer, why: 'rejected' | 'error'): void {
    if (cb.offerTo(offer.agent.agentId) !== offer) return;
    cb.removeOffer(offer);
    if (!offer.withdrawn && !cb.ended) this.#d.ringFailed(cb.tenantId, cb.id, offer.agent.agentId, why);
  }

  #end(cb: CallbackCall): void {
    if (!cb.end()) return;
    this.#byId.delete(cb.id);
    for (const [id, c] of this.#byDialog) if (c === cb) this.#byDialog.delete(id);
    const engine = this.#d.acd.loaded(cb.tenantId);
    if (engine) this.#d.acd.run(cb.tenantId, engine.ended(cb.id));
  }
}
