import type { MediaLeg } from './media-leg.js';

/** The part of a leg the relay uses (a {@link MediaLeg}). */
export type RelayLeg = Pick<MediaLeg, 'onRtp' | 'sendRtp' | 'markDiscontinuity'>;

export interface RelayDirectionStats {
  packets: number;
  bytes: number;
}

/**
 * Relays RTP between two connected legs, both ways: each packet received on one is sent on the other (the
 * receiving leg rewrites the header onto its own outgoing stream; nothing is copied here). `pause()` stops
 * both directions (agent hold: the owner starts hold audio on the visitor's leg); `resume()` marks a
 * discontinuity on both legs, so each continues its stream from the next relayed packet without a gap in
 * sequence numbers. `close()` unsubscribes for good. The caller stops hold audio before `resume()` so the two
 * sources never interleave.
 */
export class MediaRelay {
  readonly #a: RelayLeg;
  readonly #b: RelayLeg;
  readonly #aToB: RelayDirectionStats = { packets: 0, bytes: 0 };
  readonly #bToA: RelayDirectionStats = { packets: 0, bytes: 0 };
  #offA: (() => void) | undefined;
  #offB: (() => void) | undefined;
  #paused = false;
  #closed = false;

  /** Start relaying at once between `a` (the visitor's leg) and `b` (the agent's). */
  constructor(a: RelayLeg, b: RelayLeg) {
    this.#a = a;
    this.#b = b;
    a.markDiscontinuity();
    b.markDiscontinuity();
    const aToB = this.#aToB;
    const bToA = this.#bToA;
    this.#offA = a.onRtp((packet) => {
      if (this.#paused) return;
      aToB.packets++;
      aToB.bytes += packet.payload.length;
      b.sendRtp(packet);
    });
    this.#offB = b.onRtp((packet) => {
      if (this.#paused) return;
      bToA.packets++;
      bToA.bytes += packet.payload.length;
      a.sendRtp(packet);
    });
  }

  get paused(): boolean {
    return this.#paused;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Packets and payload bytes relayed in each direction. */
  get stats(): { aToB: RelayDirectionStats; bToA: RelayDirectionStats } {
    return { aToB: { ...this.#aToB }, bToA: { ...this.#bToA } };
  }

  /** Stop relaying both ways until {@link MediaRelay.resume}. Idempotent. */
  pause(): void {
    this.#paused = true;
  }

  /** Relay again; each leg's next packet starts a new segment of its outgoing stream. Idempotent. */
  resume(): void {
    if (!this.#paused || this.#closed) return;
    this.#a.markDiscontinuity();
    this.#b.markDiscontinuity();
    this.#paused = false;
  }

  /** Stop relaying for good (the legs stay open: their owner closes them). Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#paused = true;
    this.#offA?.();
    this.#offB?.();
    this.#offA = this.#offB = undefined;
  }
}
