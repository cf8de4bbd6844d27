import type { MediaLeg } from '../media/media-leg.js';
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
  readonly #offers = new Map<string, AgentOffer>();
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
    return [...this.#offers.values()];
  }

  offerTo(agentId: string): AgentOffer | undefined {
    return this.#offers.get(agentId);
  }

  addOffer(agent: AgentProfile): AgentOffer {
    const offer: AgentOffer = { agent, leg: null, media: null, withdrawn: false };
    this.#offers.set(agent.agentId, offer);
    return offer;
  }

  removeOffer(offer: AgentOffer): void {
    if (this.#offers.get(offer.agent.agentId) !== offer) return;
    this.#offers.delete(offer.agent.agentId);
    void offer.media?.close();
  }

  connect(offer: AgentOffer): void {
    this.#offers.delete(offer.agent.agentId);
    this.#connected = offer;
  }

  /** Close every media leg once. */
  end(): boolean {
    if (this.#ended) return false;
    this.#ended = true;
    const legs: (MediaLeg | null)[] = [this.#connected?.media ?? null, ...[...this.#offers.values()].map((o) => o.media)];
    for (const m of legs) void m?.close();
    return true;
  }
}
