import { AgentOffers } from './agent-offers.js';
import type { AgentProfile } from './agent-roster.js';
import type { AgentOffer, Caller } from './call.js';
import type { SipLeg } from './sip-leg.js';

/**
 * A callback offered to agents like a call (a slot the visitor booked, or "keep my place"): there is no visitor
 * on the line, so the agent's leg is answered by the bridge alone and the softphone shows the number to call back
 * (dialling out needs the PSTN trunk of a later issue). It ends when the agent hangs up.
 */
export class CallbackCall {
  readonly kind = 'callback' as const;
  readonly id: string;
  readonly tenantId: string;
  readonly queueName: string;
  readonly caller: Caller;
  /** The stored callback row, when it was booked (keep-my-place callbacks have none). */
  readonly callbackId: string | null;
  readonly #offers = new AgentOffers();
  #connected: AgentOffer | null = null;
  #ended = false;

  constructor(init: { id: string; tenantId: string; queueName: string; caller: Caller; callbackId: string | null }) {
    this.id = init.id;
    this.tenantId = init.tenantId;
    this.queueName = init.queueName;
    this.caller = init.caller;
    this.callbackId = init.callbackId;
  }

  get ended(): boolean {
    return this.#ended;
  }

  get agentLeg(): SipLeg | null {
    return this.#connected?.leg ?? null;
  }

  get offers(): readonly AgentOffer[] {
    return this.#offers.all();
  }

  offerTo(agentId: string): AgentOffer | undefined {
    return this.#offers.get(agentId);
  }

  addOffer(agent: AgentProfile): AgentOffer {
    return this.#offers.add(agent);
  }

  removeOffer(offer: AgentOffer): void {
    this.#offers.remove(offer);
  }

  connect(offer: AgentOffer): void {
    this.#offers.take(offer);
    this.#connected = offer;
  }

  /** Close every media leg once. */
  end(): boolean {
    if (this.#ended) return false;
    this.#ended = true;
    void this.#connected?.media?.close();
    this.#offers.closeAll();
    return true;
  }
}
