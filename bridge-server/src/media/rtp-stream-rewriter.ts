import { randomInt } from 'node:crypto';
import { RtpHeader } from 'werift';
import { CANONICAL_PT } from './media-options.js';

/** 20 ms of Opus at 48 kHz: the least a timestamp advances across a source switch. */
const FRAME_SAMPLES = 960;
const SAMPLES_PER_MS = 48;

/**
 * Maps packets from any number of successive sources onto one outgoing RTP stream (RFC 3550 §5.1): when
 * the source's SSRC changes, the next packet continues the sequence at last+1 and the timestamp by the
 * wall-clock gap (at least one 20 ms frame) and carries the marker bit (RFC 3551 §4.1: start of a talkspurt).
 * Within a source, sequence and timestamp move by a fixed offset, so reordering and loss show through as
 * they were. Timestamps assume the 48 kHz Opus clock. Reuses one header object: no allocation per packet.
 */
export class RtpStreamRewriter {
  readonly #out: RtpHeader;
  readonly #now: () => number;
  #source = -1;
  #seqOffset = 0;
  #tsOffset = 0;
  #lastSeq: number;
  #lastTs: number;
  #lastAt = Number.NaN;

  constructor(ssrc: number, now: () => number, firstSeq = randomInt(0x10000), firstTs = randomInt(0x7fffffff)) {
    this.#out = new RtpHeader({ ssrc, payloadType: CANONICAL_PT.opus });
    this.#now = now;
    this.#lastSeq = (firstSeq - 1) & 0xffff;
    this.#lastTs = (firstTs - FRAME_SAMPLES) >>> 0;
  }

  /** The header to put on the wire for `source`; valid until the next call. */
  rewrite(source: RtpHeader, payloadType: number): RtpHeader {
    let marker = source.marker;
    if (source.ssrc !== this.#source) {
      this.#rebase(source);
      marker = true;
    }
    const out = this.#out;
    const seq = (source.sequenceNumber + this.#seqOffset) & 0xffff;
    const ts = (source.timestamp + this.#tsOffset) >>> 0;
    out.payloadType = payloadType;
    out.marker = marker;
    out.sequenceNumber = seq;
    out.timestamp = ts;
    // Remember the newest packet (serial-number order, RFC 1982) so a rebase continues after it.
    if (((seq - this.#lastSeq) & 0xffff) < 0x8000) {
      this.#lastSeq = seq;
      this.#lastTs = ts;
      this.#lastAt = this.#now();
    }
    return out;
  }

  /** The next packet starts a new segment even if its SSRC is the current source's. */
  markDiscontinuity(): void {
    this.#source = -1;
  }

  /** The RTP timestamp corresponding to wall-clock `nowMs` (for sender reports). */
  timestampAt(nowMs: number): number {
    const elapsed = Number.isNaN(this.#lastAt) ? 0 : Math.max(0, nowMs - this.#lastAt);
    return (this.#lastTs + Math.round(elapsed * SAMPLES_PER_MS)) >>> 0;
  }

  #rebase(source: RtpHeader): void {
    this.#source = source.ssrc;
    const elapsed = Number.isNaN(this.#lastAt) ? 0 : this.#now() - this.#lastAt;
    const nextSeq = (this.#lastSeq + 1) & 0xffff;
    const nextTs = (this.#lastTs + Math.max(FRAME_SAMPLES, Math.round(elapsed * SAMPLES_PER_MS))) >>> 0;
    this.#seqOffset = (nextSeq - source.sequenceNumber) & 0xffff;
    this.#tsOffset = (nextTs - source.timestamp) >>> 0;
  }
}
