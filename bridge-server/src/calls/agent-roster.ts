/** What the bridge needs to reach an agent: its SIP address-of-record and how to name it to a caller. */
export interface AgentProfile {
  readonly agentId: string;
  readonly tenantId: string;
  readonly username: string;
  readonly displayName: string;
  /** `sip:alice@demo.sambung.local` */
  readonly aor: string;
}

/**
 * The agents the bridge has seen sign in or register, by id and by address-of-record. Pure bookkeeping: who is
 * free and who gets a call is the ACD's business (`acd-service.ts`).
 */
export class AgentRoster {
  readonly #byId = new Map<string, AgentProfile>();
  readonly #byAor = new Map<string, AgentProfile>();

  upsert(profile: AgentProfile): AgentProfile {
    this.#byId.set(profile.agentId, profile);
    this.#byAor.set(profile.aor, profile);
    return profile;
  }

  get(agentId: string): AgentProfile | undefined {
    return this.#byId.get(agentId);
  }

  byAor(aor: string): AgentProfile | undefined {
    return this.#byAor.get(aor);
  }

  list(tenantId?: string): AgentProfile[] {
    return [...this.#byId.values()].filter((a) => tenantId === undefined || a.tenantId === tenantId);
  }
}
