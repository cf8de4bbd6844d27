import type { Clock } from '../clock.js';
import type { HoldPlayer } from '../media/hold-player.js';
import type { MediaLeg } from '../media/media-leg.js';
import type { MediaRelay } from '../media/media-relay.js';
import type { OpusPacket } from '../media/ogg-opus.js';
import type { ServerTransaction } from '../sip/transaction.js';
import { StateMachine } from '../state-machine.js';
import { TypedEmitter } from '../typed-emitter.js';
import type { AgentProfile } from './agent-roster.js';
import { AgentOffers } from './agent-offers.js';
import { callTransitions, type CallState, type EndReason } from './call-state.js';
import type { SipLeg } from './sip-leg.js';

/** Who is calling, from the visitor's signed token. */
export interface Caller {
  visitorId: string;
  name: string;
  phone: string;
  email: string;
}

/** One agent's softphone being offered the call (several at once for ring-all). */
export interface AgentOffer {
  readonly agent: AgentProfile;
  leg: SipLeg | null;
  media: MediaLeg | null;
  /** The ACD withdrew this offer (timeout, answered elsewhere): its failure is not reported back. */
  withdrawn: boolean;
}

export interface CallInit {
  /** Our CDR id, also the call's id in the ACD. */
  id: string;
  tenantId: string;
  queueId: string;
  queueName: string;
  caller: Caller;
  visitor: SipLeg;
  /** The visitor's INVITE, answered 183 now and 200 when an agent picks up. */
  visitorInvite: ServerTransaction;
  visitorMedia: MediaLeg;
  /** Our SDP answer to the visitor (sent in the 183 and again in the 200). */
  visitorSdp: string;
  hold: HoldPlayer;
  clock: Clock;
  offeredAt: number;
  /** Whether the queue records its calls. */
  record: boolean;
  /**
   * The recording-consent announcement, when the queue is recorded and asks for it: played once when the call
   * enters the queue, before hold audio (early media, so ringing agents is not delayed).
   */
  consentPrompt?: readonly OpusPacket[] | undefined;
}

/**
 * What the caller heard of the recording-consent announcement: `none` (the queue plays none), `playing` (or
 * waiting for the caller's media to connect), `played` (all of it), `interrupted` (an agent answered, or the
 * call ended or went to voicemail, during it).
 */
export type ConsentAnnouncement = 'none' | 'playing' | 'played' | 'interrupted';

export interface CallEvents extends Record<string, unknown[]> {
  state: [to: CallState, from: CallState];
  ended: [reason: EndReason];
}

/**
 * One visitor call through the bridge: the visitor's leg (anchored media, hold audio), the agent offers the ACD
 * asked for while ringing, and the one agent leg once connected. The call owns its legs, media and relay:
 * {@link Call.end} closes all of them exactly once. Routing decisions are the ACD's; the call carries them out.
 */
export class Call extends TypedEmitter<CallEvents> {
  readonly kind = 'call' as const;
  readonly id: string;
  readonly tenantId: string;
  readonly caller: Caller;
  readonly visitor: SipLeg;
  readonly visitorInvite: ServerTransaction;
  readonly visitorMedia: MediaLeg;
  readonly visitorSdp: string;
  readonly offeredAt: number;
  readonly record: boolean;
  queueId: string;
  queueName: string;
  /** The queue position / wait estimate last told to the visitor (182 Queued). */
  lastStatus = '';
  /** Consecutive CDR writes, in order (offered → answered → ended). */
  cdr: Promise<unknown> = Promise.resolve();
  answeredAt: number | null = null;
  /** The queue sent this call to voicemail (the CRM log's outcome says so). */
  voicemail = false;
  readonly #hold: HoldPlayer;
  #consentPrompt: readonly OpusPacket[] | undefined;
  #consent: ConsentAnnouncement = 'none';
  readonly #clock: Clock;
  readonly #fsm: StateMachine<CallState>;
  readonly #offers = new AgentOffers();
  #connected: AgentOffer | null = null;
  #relay: MediaRelay | null = null;
  #endReason: EndReason | null = null;

  constructor(init: CallInit) {
    super();
    this.id = init.id;
    this.tenantId = init.tenantId;
    this.queueId = init.queueId;
    this.queueName = init.queueName;
    this.caller = init.caller;
    this.visitor = init.visitor;
    this.visitorInvite = init.visitorInvite;
    this.visitorMedia = init.visitorMedia;
    this.visitorSdp = init.visitorSdp;
    this.offeredAt = init.offeredAt;
    this.record = init.record;
    this.#hold = init.hold;
    this.#consentPrompt = init.consentPrompt;
    this.#clock = init.clock;
    this.#fsm = new StateMachine('call', callTransitions, 'offered', (from, to) => this.safeEmit('state', to, from));
  }

  get state(): CallState {
    return this.#fsm.state;
  }

  get ended(): boolean {
    return this.#fsm.state === 'ended';
  }

  get endReason(): EndReason | null {
    return this.#endReason;
  }

  /** What the caller heard of the recording-consent announcement (the recording notes it). */
  get consentAnnouncement(): ConsentAnnouncement {
    return this.#consent;
  }

  /** The agent on the call once connected. */
  get agent(): AgentProfile | null {
    return this.#connected?.agent ?? null;
  }

  get agentLeg(): SipLeg | null {
    return this.#connected?.leg ?? null;
  }

  get agentMedia(): MediaLeg | null {
    return this.#connected?.media ?? null;
  }

  /** Offers still ringing. */
  get offers(): readonly AgentOffer[] {
    return this.#offers.all();
  }

  offerTo(agentId: string): AgentOffer | undefined {
    return this.#offers.get(agentId);
  }

  /**
   * The visitor hears hold audio and waits for an agent — after the consent announcement, once, if the queue
   * asks for one. The announcement starts when the visitor's media is up (packets sent before ICE and DTLS
   * are done are lost, and its first words must not be); agents are offered the call meanwhile, and one who
   * answers before it ends cuts it short (the recording notes `interrupted`).
   */
  queue(): void {
    this.#fsm.transition('queued');
    const prompt = this.#consentPrompt;
    this.#consentPrompt = undefined; // once per call: agent hold later plays hold audio only
    if (!prompt) return this.#hold.start();
    this.#consent = 'playing';
    const announce = (): void => {
      if (this.state !== 'queued' && this.state !== 'ringing') return; // answered, deflected or ended first
      this.#hold.start({ packets: prompt, onEnd: (complete) => void (this.#consent = complete ? 'played' : 'interrupted') });
    };
    this.visitorMedia.connected.then(announce, () => {}); // a leg that never connects fails the call elsewhere
  }

  /** The ACD offers the call to this agent: ringing starts (or continues, for ring-all). */
  addOffer(agent: AgentProfile): AgentOffer {
    if (this.state === 'queued') this.#fsm.transition('ringing');
    return this.#offers.add(agent);
  }

  /** An offer ended without the agent taking the call; with none left ringing the call waits again. */
  removeOffer(offer: AgentOffer): void {
    if (!this.#offers.remove(offer)) return;
    if (this.#offers.size === 0 && this.state === 'ringing') this.#fsm.transition('queued');
  }

  /** This offer's agent answered: stop hold audio and relay media both ways. Other offers stay for the B2BUA to cancel. */
  connect(offer: AgentOffer, relay: MediaRelay): void {
    this.#fsm.transition('connected');
    this.#offers.take(offer);
    this.#connected = offer;
    this.answeredAt = this.#clock.now();
    this.#hold.stop();
    this.#relay = relay;
  }

  /** The queue sent the call to voicemail: hold audio stops, the bridge records the caller. */
  toVoicemail(): void {
    this.#fsm.transition('voicemail');
    this.#hold.stop();
    this.voicemail = true;
  }

  /** Agent hold: the caller hears hold audio; resume relays again. */
  setHeld(held: boolean): void {
    if (held && this.state === 'connected') {
      this.#fsm.transition('held');
      this.#relay?.pause();
      this.#hold.start();
    } else if (!held && this.state === 'held') {
      this.#fsm.transition('connected');
      this.#hold.stop();
      this.#relay?.resume();
    }
  }

  /**
   * End the call once: stop audio, close the relay and every media leg. Signalling (BYE, CANCEL, 487) is the
   * B2BUA's job and happens before this. Returns false when the call had already ended.
   */
  end(reason: EndReason): boolean {
    if (this.ended) return false;
    this.#endReason = reason;
    this.#hold.stop();
    this.#relay?.close();
    void this.visitorMedia.close();
    void this.#connected?.media?.close();
    this.#offers.closeAll();
    this.#fsm.transition('ended');
    this.safeEmit('ended', reason);
    return true;
  }

  /** Live figures for the API and metrics. */
  snapshot(): Record<string, unknown> {
    return {
      id: this.id,
      queue: this.queueName,
      state: this.state,
      caller: { name: this.caller.name, phone: this.caller.phone, email: this.caller.email },
      agent: this.agent ? { id: this.agent.agentId, displayName: this.agent.displayName } : null,
      ringing: this.offers.map((o) => o.agent.agentId),
      media: { visitor: this.visitorMedia.stats, agent: this.agentMedia?.stats ?? null },
    };
  }
}
