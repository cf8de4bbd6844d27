import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { RtpHeader, RtpPacket } from 'werift';
import { systemClock, type Clock, type TimerHandle } from '../clock.js';
import { MediaError } from '../errors.js';
import type { RtpSink } from './media-leg.js';
import { CANONICAL_PT } from './media-options.js';
import { demuxOggOpus, opusPacketSamples, type OpusPacket } from './ogg-opus.js';

/** The bundled hold audio (made by scripts/make-hold-audio.sh). */
export const DEFAULT_HOLD_AUDIO_PATH = fileURLToPath(new URL('../../assets/hold.opus', import.meta.url));

const PACKET_MS = 20;
const PACKET_SAMPLES = 960;
/** Further behind than this (a stalled event loop), skip ahead instead of sending a burst. */
const MAX_LAG_MS = 200;

/**
 * Read an Ogg Opus file of 20 ms packets for {@link HoldPlayer}. Load it once at start-up and give the same
 * (frozen) array to every call's player.
 */
export async function loadHoldAudio(path: string = DEFAULT_HOLD_AUDIO_PATH): Promise<readonly OpusPacket[]> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    throw MediaError.failed(`cannot read hold audio ${path}`, error);
  }
  const { packets } = demuxOggOpus(data);
  if (packets.length === 0) throw MediaError.failed(`hold audio ${path} has no audio packets`);
  const odd = packets.findIndex((p) => opusPacketSamples(p) !== PACKET_SAMPLES);
  if (odd >= 0) throw MediaError.failed(`hold audio ${path}: packet ${odd} is not 20 ms (encode with --framesize 20)`);
  return Object.freeze(packets);
}

/**
 * Plays Opus packets in a loop to one {@link RtpSink} at 20 ms pacing: timestamp +960 and sequence +1 per
 * packet, marker bit on the first packet after each start (RFC 3551 §4.1). Send times are computed from the
 * start time (packet n is due at start + 20n ms), so timer lateness never accumulates into drift. Each start
 * is a new stream segment with its own SSRC; the sink maps it onto its continuous outgoing stream.
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

  constructor(packets: readonly OpusPacket[], sink: RtpSink, clock: Clock = systemClock) {
    if (packets.length === 0) throw MediaError.failed('hold audio has no packets');
    this.#packets = packets;
    this.#sink = sink;
    this.#clock = clock;
  }

  get playing(): boolean {
    return this.#playing;
  }

  /** Start playing from the top of the loop; sends the first packet now. No-op while playing. */
  start(): void {
    if (this.#playing) return;
    this.#playing = true;
    const header = this.#packet.header;
    header.ssrc = randomInt(1, 0xffffffff);
    header.sequenceNumber = randomInt(0x10000);
    header.timestamp = randomInt(0x7fffffff);
    header.marker = true;
    this.#startedAt = this.#clock.now();
    this.#n = 0;
    this.#tick();
  }

  /** Stop; no packet is sent after this returns. No-op when stopped. */
  stop(): void {
    if (!this.#playing) return;
    this.#playing = false;
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  readonly #tick = (): void => {
    this.#timer = undefined;
    if (!this.#playing) return;
    const now = this.#clock.now();
    const lag = now - (this.#startedAt + this.#n * PACKET_MS);
    if (lag > MAX_LAG_MS) {
      // The event loop stalled: skip the missed packets (their time shows in the timestamp), no burst.
      const skipped = Math.floor(lag / PACKET_MS);
      this.#n += skipped;
      this.#packet.header.timestamp = (this.#packet.header.timestamp + skipped * PACKET_SAMPLES) >>> 0;
    } else if (lag < -2 * PACKET_MS) {
      // The wall clock went back: re-anchor the schedule instead of waiting for it to catch up.
      this.#startedAt = now - this.#n * PACKET_MS;
    }
    while (this.#startedAt + this.#n * PACKET_MS <= now && this.#playing) this.#send();
    if (this.#playing) {
      this.#timer = this.#clock.setTimeout(this.#tick, this.#startedAt + this.#n * PACKET_MS - now);
    }
  };

  #send(): void {
    const packet = this.#packet;
    const header = packet.header;
    packet.payload = this.#packets[this.#n % this.#packets.length]!;
    this.#sink.sendRtp(packet);
    header.marker = false;
    header.sequenceNumber = (header.sequenceNumber + 1) & 0xffff;
    header.timestamp = (header.timestamp + PACKET_SAMPLES) >>> 0;
    this.#n++;
  }
}
