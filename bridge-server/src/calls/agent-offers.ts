import type { AgentProfile } from './agent-roster.js';
import type { AgentOffer } from './call.js';

/**
 * The agents a call or callback is being offered to right now (several at once for ring-all), by agent id.
 * An offer owns its media leg until it is taken (the agent answered) or removed (it is closed then).
 */
export class AgentOffers {
  readonly #byAgent = new Map<string, AgentOffer>();

  get size(): number {
    return this.#byAgent.size;
  }

  all(): AgentOffer[] {
    return [...this.#byAgent.values()];
  }

  get(agentId: string): AgentOffer | undefined {
    return this.#byAgent.get(agentId);
  }

  add(agent: AgentProfile): AgentOffer {
    const offer: AgentOffer = { agent, leg: null, media: null, withdrawn: false };
    this.#byAgent.set(agent.agentId, offer);
    return offer;
  }

  /** Forget the offer and close its media; false when it was not (or no longer) this agent's offer. */
  remove(offer: AgentOffer): boolean {
    if (!this.take(offer)) return false;
    void offer.media?.close();
    return true;
  }

  /** Forget the offer, keeping its media (the agent answered: the call now owns the leg). */
  take(offer: AgentOffer): boolean {
    if (this.#byAgent.get(offer.agent.agentId) !== offer) return false;
    this.#byAgent.delete(offer.agent.agentId);
    return true;
  }

  /** Close every offer's media (the call ended). */
  closeAll(): void {
    for (const offer of this.#byAgent.values()) void offer.media?.close();
  }
}
