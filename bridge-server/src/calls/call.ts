import type { Clock, TimerHandle } from '../clock.js';
import type { HoldPlayer } from '../media/hold-player.js';
import type { MediaLeg } from '../media/media-leg.js';
import type { MediaRelay } from '../media/media-relay.js';
import { StateMachine } from '../state-machine.js';
import { TypedEmitter } from '../typed-emitter.js';
import type { AgentEntry } from './agent-directory.js';
import { callTransitions, type CallState, type EndReason } from './call-state.js';
import type { SipLeg } from './sip-leg.js';
import type { ServerTransaction } from '../sip/transaction.js';

/** Who is calling, from the visitor's signed token. */
export interface Caller {
  visitorId: string;
  name: string;
  phone: string;
  email: string;
}

export interface CallInit {
  /** Our CDR id. */
  id: string;
  tenantId: string;
  queueId: string;
  queueName: string;
  ringTimeoutSec: number;
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
}

export interface CallEvents extends Record<string, unknown[]> {
  state: [to: CallState, from: CallState];
  ended: [reason: EndReason];
}

/**
 * One visitor call through the bridge: the visitor's leg (anchored media, hold audio) and, while ringing or
 * connected, one agent leg. The call owns its legs, media and timers: {@link Call.end} closes all of them
 * exactly once. Routing decisions are the B2BUA's; the call only carries them out.
 */
export class Call extends TypedEmitter<CallEvents> {
  readonly id: string;
  readonly tenantId: string;
  readonly queueId: string;
  readonly queueName: string;
  readonly ringTimeoutSec: number;
  readonly caller: Caller;
  readonly visitor: SipLeg;
  readonly visitorInvite: ServerTransaction;
  readonly visitorMedia: MediaLeg;
  readonly visitorSdp: string;
  readonly offeredAt: number;
  /** The queue position last told to the visitor (182 Queued). */
  lastPosition = 0;
  /** Consecutive CDR writes, in order (offered → answered → ended). */
  cdr: Promise<unknown> = Promise.resolve();
  readonly #hold: HoldPlayer;
  readonly #clock: Clock;
  readonly #fsm: StateMachine<CallState>;
  /** Agents that rejected or missed this call, with when; they are skipped for one ring timeout. */
  readonly #declined = new Map<string, number>();
  #agent: { entry: AgentEntry; leg: SipLeg | null; media: MediaLeg | null } | null = null;
  #relay: MediaRelay | null = null;
  #ringTimer: TimerHandle | null = null;
  #endReason: EndReason | null = null;
  queuedAt: number;
  answeredAt: number | null = null;

  constructor(init: CallInit) {
    super();
    this.id = init.id;
    this.tenantId = init.tenantId;
    this.queueId = init.queueId;
    this.queueName = init.queueName;
    this.ringTimeoutSec = init.ringTimeoutSec;
    this.caller = init.caller;
    this.visitor = init.visitor;
    this.visitorInvite = init.visitorInvite;
    this.visitorMedia = init.visitorMedia;
    this.visitorSdp = init.visitorSdp;
    this.offeredAt = init.offeredAt;
    this.queuedAt = init.offeredAt;
    this.#hold = init.hold;
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

  get agent(): AgentEntry | null {
    return this.#agent?.entry ?? null;
  }

  get agentLeg(): SipLeg | null {
    return this.#agent?.leg ?? null;
  }

  /** The leg on the other side of `leg` (visitor ⇄ agent), if any. */
  peerOf(leg: SipLeg): SipLeg | null {
    return leg === this.visitor ? this.agentLeg : this.visitor;
  }

  get agentMedia(): MediaLeg | null {
    return this.#agent?.media ?? null;
  }

  /** The visitor hears hold audio and waits for an agent. */
  queue(): void {
    this.#fsm.transition('queued');
    this.queuedAt = this.#clock.now();
    this.#hold.start();
  }

  /** Whether `agentId` declined or missed this call within the last ring timeout. */
  recentlyDeclined(agentId: string): boolean {
    const at = this.#declined.get(agentId);
    return at !== undefined && this.#clock.now() - at < this.ringTimeoutSec * 1000;
  }

  /**
   * An agent's softphone is being INVITEd. `onNoAnswer` runs if it is still ringing after the ring timeout.
   */
  ring(entry: AgentEntry, onNoAnswer: () => void): void {
    this.#fsm.transition('ringing');
    const agent = { entry, leg: null, media: null };
    this.#agent = agent;
    this.#ringTimer = this.#clock.setTimeout(() => {
      this.#ringTimer = null;
      if (this.state === 'ringing' && this.#agent === agent) onNoAnswer();
    }, this.ringTimeoutSec * 1000);
  }

  /** The INVITE to the ringing agent is out: its SIP leg and media leg now belong to the call. */
  attachAgentLeg(leg: SipLeg, media: MediaLeg): void {
    if (!this.#agent || this.#agent.leg) throw new Error('attachAgentLeg: no agent is ringing');
    this.#agent.leg = leg;
    this.#agent.media = media;
  }

  /** The agent did not take the call (486/603, no answer, failure): back to the head of the queue. */
  requeue(): AgentEntry | null {
    const previous = this.#detachAgent();
    if (previous) this.#declined.set(previous.entry.agentId, this.#clock.now());
    this.#fsm.transition('queued');
    return previous?.entry ?? null;
  }

  /** The agent answered: stop hold audio and relay media both ways. */
  connect(relay: MediaRelay): void {
    this.#cancelRingTimer();
    this.#fsm.transition('connected');
    this.answeredAt = this.#clock.now();
    this.#hold.stop();
    this.#relay = relay;
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
   * End the call once: stop timers and audio, close the relay and both media legs. Signalling (BYE, CANCEL,
   * 487) is the B2BUA's job and happens before this. Returns false when the call had already ended.
   */
  end(reason: EndReason): boolean {
    if (this.ended) return false;
    this.#endReason = reason;
    this.#cancelRingTimer();
    this.#hold.stop();
    this.#relay?.close();
    void this.visitorMedia.close();
    void this.#agent?.media?.close();
    this.#fsm.transition('ended');
    this.safeEmit('ended', reason);
    return true;
  }

  /** Detach the agent leg (without ending the call) and close its media. */
  #detachAgent(): { entry: AgentEntry; leg: SipLeg | null; media: MediaLeg | null } | null {
    this.#cancelRingTimer();
    const agent = this.#agent;
    this.#agent = null;
    void agent?.media?.close();
    return agent;
  }

  #cancelRingTimer(): void {
    this.#ringTimer?.cancel();
    this.#ringTimer = null;
  }

  /** Live figures for the API and metrics. */
  snapshot(): Record<string, unknown> {
    return {
      id: this.id,
      queue: this.queueName,
      state: this.state,
      caller: { name: this.caller.name, phone: this.caller.phone, email: this.caller.email },
      agent: this.agent ? { id: this.agent.agentId, displayName: this.agent.displayName } : null,
      media: { visitor: this.visitorMedia.stats, agent: this.agentMedia?.stats ?? null },
    };
  }
}

