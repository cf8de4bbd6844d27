import { randomInt } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { RtpHeader, RtpPacket } from 'werift';
import { systemClock, type Clock, type TimerHandle } from '../clock.js';
import { MediaError } from '../errors.js';
import type { RtpSink } from './media-leg.js';
import { CANONICAL_PT } from './media-options.js';
import type { OpusPacket } from './ogg-opus.js';
import { CLIP_PACKET_SAMPLES, loadOpusClip } from './opus-clip.js';

/** The bundled hold audio (made by scripts/make-hold-audio.sh). */
export const DEFAULT_HOLD_AUDIO_PATH = fileURLToPath(new URL('../../assets/hold.opus', import.meta.url));

const PACKET_MS = 20;
const PACKET_SAMPLES = CLIP_PACKET_SAMPLES;
/** Further behind than this (a stalled event loop), skip ahead instead of sending a burst. */
const MAX_LAG_MS = 200;

/**
 * Read an Ogg Opus file of 20 ms packets for {@link HoldPlayer}. Load it once at start-up and give the same
 * (frozen) array to every call's player.
 */
export function loadHoldAudio(path: string = DEFAULT_HOLD_AUDIO_PATH): Promise<readonly OpusPacket[]> {
  return loadOpusClip(path, 'hold audio');
}

/** An announcement {@link HoldPlayer.start} plays once, before the loop (the recording-consent prompt). */
export interface HoldIntro {
  /** 20 ms Opus packets, played in order. */
  packets: readonly OpusPacket[];
  /**
   * Told exactly once per start: `true` right after the intro's last packet was sent, `false` if the player
   * stopped before that or had to skip some of its packets (a stalled event loop), i.e. the listener did not
   * hear all of it. A throwing callback is ignored (the media path must go on).
   */
  onEnd?(complete: boolean): void;
}

/**
 * Plays Opus packets in a loop to one {@link RtpSink} at 20 ms pacing: timestamp +960 and sequence +1 per
 * packet, marker bit on the first packet after each start (RFC 3551 §4.1). Send times are computed from the
 * start time (packet n is due at start + 20n ms), so timer lateness never accumulates into drift. Each start
 * is a new stream segment with its own SSRC; the sink maps it onto its continuous outgoing stream. A start may
 * put an intro (an announcement) in front of the loop: the same stream, no gap, the loop from its top after it.
 */
export class HoldPlayer {
  readonly #packets: readonly OpusPacket[];
  readonly #sink: RtpSink;
  readonly #clock: Clock;
  /** One packet object reused for every send: the sink does not keep it. */
  readonly #packet = new RtpPacket(new RtpHeader({ payloadType: CANONICAL_PT.opus }), Buffer.alloc(0));
  #timer: TimerHandle | undefined;
  #startedAt = 0;
  /** Packets due so far in this run (the schedule index). */
  #n = 0;
  #playing = false;
  /** This run's intro until its end is told; its length stays in #introLength to offset the loop. */
  #intro: HoldIntro | undefined;
  #introLength = 0;
  /** Some of the intro's packets were skipped (stall), so it cannot end complete. */
  #introSkipped = false;

  constructor(packets: readonly OpusPacket[], sink: RtpSink, clock: Clock = systemClock) {
    if (packets.length === 0) throw MediaError.failed('hold audio has no packets');
    this.#packets = packets;
    this.#sink = sink;
    this.#clock = clock;
  }

  get playing(): boolean {
    return this.#playing;
  }

  /**
   * Start playing: `intro` once if given (its `onEnd` says whether it was heard in full), then the loop from its
   * top. Sends the first packet now. No-op while playing (the intro of an ignored start is not told anything).
   */
  start(intro?: HoldIntro): void {
    if (this.#playing) return;
    this.#playing = true;
    this.#intro = intro && intro.packets.length > 0 ? intro : undefined;
    this.#introLength = this.#intro?.packets.length ?? 0;
    this.#introSkipped = false;
    const header = this.#packet.header;
    header.ssrc = randomInt(1, 0xffffffff);
    header.sequenceNumber = randomInt(0x10000);
    header.timestamp = randomInt(0x7fffffff);
    header.marker = true;
    this.#startedAt = this.#clock.now();
    this.#n = 0;
    if (intro && !this.#intro) this.#endIntro(intro, true); // an empty intro is heard in full at once
    this.#tick();
  }

  /** Stop; no packet is sent after this returns (an intro still playing ends incomplete). No-op when stopped. */
  stop(): void {
    if (!this.#playing) return;
    this.#playing = false;
    this.#timer?.cancel();
    this.#timer = undefined;
    if (this.#intro) this.#endIntro(this.#intro, false);
  }

  readonly #tick = (): void => {
    this.#timer = undefined;
    if (!this.#playing) return;
    const now = this.#clock.now();
    const lag = now - (this.#startedAt + this.#n * PACKET_MS);
    if (lag > MAX_LAG_MS) {
      // The event loop stalled: skip the missed packets (their time shows in the timestamp), no burst.
      const skipped = Math.floor(lag / PACKET_MS);
      if (this.#n < this.#introLength) this.#introSkipped = true;
      this.#n += skipped;
      this.#packet.header.timestamp = (this.#packet.header.timestamp + skipped * PACKET_SAMPLES) >>> 0;
    } else if (lag < -2 * PACKET_MS) {
      // The wall clock went back: re-anchor the schedule instead of waiting for it to catch up.
      this.#startedAt = now - this.#n * PACKET_MS;
    }
    if (this.#intro && this.#n >= this.#introLength) this.#endIntro(this.#intro, false); // skipped past its end
    while (this.#startedAt + this.#n * PACKET_MS <= now && this.#playing) this.#send();
    if (this.#playing) {
      this.#timer = this.#clock.setTimeout(this.#tick, this.#startedAt + this.#n * PACKET_MS - now);
    }
  };

  #send(): void {
    const packet = this.#packet;
    const header = packet.header;
    const n = this.#n;
    const intro = n < this.#introLength ? this.#intro : undefined;
    packet.payload = intro ? intro.packets[n]! : this.#packets[(n - this.#introLength) % this.#packets.length]!;
    this.#sink.sendRtp(packet);
    header.marker = false;
    header.sequenceNumber = (header.sequenceNumber + 1) & 0xffff;
    header.timestamp = (header.timestamp + PACKET_SAMPLES) >>> 0;
    this.#n++;
    if (intro && this.#n === this.#introLength) this.#endIntro(intro, !this.#introSkipped);
  }

  #endIntro(intro: HoldIntro, complete: boolean): void {
    if (this.#intro === intro) this.#intro = undefined;
    try {
      intro.onEnd?.(complete);
    } catch {
      // a throwing listener must not stop the audio (see HoldIntro.onEnd)
    }
  }
}
