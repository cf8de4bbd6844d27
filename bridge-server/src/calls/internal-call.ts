import type { Clock } from '../clock.js';
import { HoldPlayer } from '../media/hold-player.js';
import type { MediaLeg } from '../media/media-leg.js';
import { MediaRelay } from '../media/media-relay.js';
import type { OpusPacket } from '../media/ogg-opus.js';
import type { ServerTransaction } from '../sip/transaction.js';
import { StateMachine } from '../state-machine.js';
import type { Ringable } from './agent-invite.js';
import type { AgentProfile } from './agent-roster.js';
import type { AgentOffer, Caller } from './call.js';
import { internalCallTransitions, type InternalCallState, type InternalEndReason } from './internal-call-state.js';
import type { SipLeg } from './sip-leg.js';

/** Which agent of an internal call: the one who dialled, or the one dialled. */
export type InternalSide = 'caller' | 'callee';

export interface InternalCallInit {
  id: string;
  tenantId: string;
  from: AgentProfile;
  to: AgentProfile;
  /** The caller's leg (we are its UAS) and its INVITE, answered when the callee answers. */
  callerLeg: SipLeg;
  callerInvite: ServerTransaction;
  /** The caller's SDP offer, answered by the bridge's own media leg once the callee has answered. */
  callerOffer: string;
  holdAudio: readonly OpusPacket[];
  clock: Clock;
}

/**
 * One agent-to-agent call through the bridge: the caller's leg, the one offer to the callee (rung with
 * {@link ringAgent} like a queue call), and once answered the two anchored media legs and the relay between
 * them. The call owns its media: {@link InternalCall.end} stops hold audio and closes the relay and both media
 * legs exactly once. Signalling (487, BYE, CANCEL) is the desk's job and happens before that.
 */
export class InternalCall implements Ringable {
  readonly kind = 'internal' as const;
  /** The callee sees the calling agent as From (`sip:alice@<tenant domain>`). */
  get fromUser(): string {
    return this.from.username;
  }
  /** Internal calls come through no queue. */
  readonly queueName = '';
  readonly id: string;
  readonly tenantId: string;
  readonly from: AgentProfile;
  readonly to: AgentProfile;
  /** What the callee's softphone shows: the calling agent's name (there is no phone number or e-mail). */
  readonly caller: Caller;
  readonly callerLeg: SipLeg;
  readonly callerInvite: ServerTransaction;
  readonly callerOffer: string;
  readonly offer: AgentOffer;
  answeredAt: number | null = null;
  readonly #holdAudio: readonly OpusPacket[];
  readonly #clock: Clock;
  readonly #fsm = new StateMachine<InternalCallState>('internal-call', internalCallTransitions, 'dialing');
  /** Who asked for hold; the relay runs only while nobody does. */
  readonly #holders = new Set<InternalSide>();
  /** Hold audio played *to* a side, created on its first hold. */
  readonly #players = new Map<InternalSide, HoldPlayer>();
  #callerMedia: MediaLeg | null = null;
  #relay: MediaRelay | null = null;
  #endReason: InternalEndReason | null = null;

  constructor(init: InternalCallInit) {
    this.id = init.id;
    this.tenantId = init.tenantId;
    this.from = init.from;
    this.to = init.to;
    this.callerLeg = init.callerLeg;
    this.callerInvite = init.callerInvite;
    this.callerOffer = init.callerOffer;
    this.caller = { visitorId: init.from.username, name: init.from.displayName, phone: '', email: '' };
    this.offer = { agent: init.to, leg: null, media: null, withdrawn: false };
    this.#holdAudio = init.holdAudio;
    this.#clock = init.clock;
  }

  get state(): InternalCallState {
    return this.#fsm.state;
  }

  get ended(): boolean {
    return this.#fsm.state === 'ended';
  }

  get endReason(): InternalEndReason | null {
    return this.#endReason;
  }

  /** The callee's leg, once the INVITE to it is out. */
  get calleeLeg(): SipLeg | null {
    return this.offer.leg;
  }

  get callerMedia(): MediaLeg | null {
    return this.#callerMedia;
  }

  get calleeMedia(): MediaLeg | null {
    return this.offer.media;
  }

  /** {@link Ringable}: the one offer, to the callee. */
  offerTo(agentId: string): AgentOffer | undefined {
    return agentId === this.to.agentId ? this.offer : undefined;
  }

  /** Whether this agent is one of the two. */
  involves(agentId: string): boolean {
    return agentId === this.from.agentId || agentId === this.to.agentId;
  }

  /** Which side a leg of this call is, or null when it is neither. */
  sideOf(leg: SipLeg): InternalSide | null {
    return leg === this.callerLeg ? 'caller' : leg === this.offer.leg ? 'callee' : null;
  }

  legOf(side: InternalSide): SipLeg | null {
    return side === 'caller' ? this.callerLeg : this.offer.leg;
  }

  /** The callee's softphone rings (first 18x). */
  ringing(): void {
    if (this.state === 'dialing') this.#fsm.transition('ringing');
  }

  /** The callee answered and the caller's media leg answers the caller's offer: relay both ways from now on. */
  connect(callerMedia: MediaLeg): void {
    const calleeMedia = this.offer.media;
    if (!calleeMedia) throw new TypeError('InternalCall.connect: the callee has no media leg');
    this.#fsm.transition('connected');
    this.#callerMedia = callerMedia;
    this.#relay = new MediaRelay(callerMedia, calleeMedia);
    this.answeredAt = this.#clock.now();
  }

  /**
   * `by` puts the other agent on hold (the other hears hold audio, nobody hears `by`) or takes it off hold.
   * The relay runs again only when neither holds. False when the call is not connected.
   */
  setHeld(by: InternalSide, held: boolean): boolean {
    if (this.state !== 'connected' && this.state !== 'held') return false;
    const other: InternalSide = by === 'caller' ? 'callee' : 'caller';
    if (held) {
      this.#holders.add(by);
      this.#relay?.pause();
      this.#player(other)?.start();
    } else {
      this.#holders.delete(by);
      this.#players.get(other)?.stop();
    }
    if (this.#holders.size === 0) {
      if (this.state === 'held') this.#fsm.transition('connected');
      this.#relay?.resume();
    } else if (this.state === 'connected') {
      this.#fsm.transition('held');
    }
    return true;
  }

  /** End once: stop hold audio, close the relay and both media legs. False when it had already ended. */
  end(reason: InternalEndReason): boolean {
    if (this.ended) return false;
    this.#endReason = reason;
    for (const player of this.#players.values()) player.stop();
    this.#relay?.close();
    void this.#callerMedia?.close();
    void this.offer.media?.close();
    this.#fsm.transition('ended');
    return true;
  }

  #player(side: InternalSide): HoldPlayer | null {
    let player = this.#players.get(side);
    const sink = side === 'caller' ? this.#callerMedia : this.offer.media;
    if (!player && sink) {
      player = new HoldPlayer(this.#holdAudio, sink, this.#clock);
      this.#players.set(side, player);
    }
    return player ?? null;
  }
}
