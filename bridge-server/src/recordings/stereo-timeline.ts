import { endianness } from 'node:os';
import type { RecordingChannel } from './recording-format.js';

const BIG_ENDIAN = endianness() === 'BE';
/** Shared silence for long gaps: emitted by reference, never written to. */
const ZERO_BLOCK = Buffer.alloc(64 * 1024);

/**
 * Lays decoded audio of two channels on one sample timeline and emits it as interleaved 16-bit
 * little-endian stereo PCM (channel 1 left, channel 2 right), holding only the samples that can still change.
 *
 * Placement rule, per channel: a frame starts at its arrival sample, or right after the channel's previous
 * frame if that one has not ended yet (packets that arrive bunched after network jitter play one after
 * another instead of overlapping), and never before what was already emitted. Gaps are silence — except a
 * gap of at most `gapTolerance` samples after the previous frame, which is arrival jitter (a packet a few
 * ms late), not a pause in the sound: that frame joins on seamlessly, because a few ms of digital silence
 * between two 20 ms frames is an audible click. The channel is then at most `gapTolerance` early; a longer
 * gap (DTX silence, a pause, loss of several packets) puts it back on its arrival time. The timeline ends
 * where the last frame ends.
 *
 * Memory: {@link StereoTimeline.drain} emits everything before a point the caller knows no later frame can
 * reach (frames come in arrival order), so the buffers hold about the drain lag plus whatever a channel's
 * frames run ahead of their arrival times; long silences are emitted as references to one shared zero block.
 */
export class StereoTimeline {
  #left = new Float32Array(16_384);
  #right = new Float32Array(16_384);
  /** Timeline sample held at index 0 of the buffers; everything before it is emitted. */
  #base = 0;
  /** Per channel: where its last frame ends, -1 before its first frame. */
  readonly #cursor = [-1, -1];
  readonly #gapTolerance: number;
  #end = 0;

  /** @param gapTolerance samples of lateness absorbed as jitter (see the class comment); 0 = none. */
  constructor(gapTolerance = 0) {
    this.#gapTolerance = gapTolerance;
  }

  /** Where the last frame ends, in samples: the duration so far. */
  get end(): number {
    return this.#end;
  }

  /** Samples emitted so far. */
  get emitted(): number {
    return this.#base;
  }

  /**
   * Place `length` samples of `pcm` (missing samples are silence) for `channel` arriving at `atSample`.
   * Returns the sample where it was placed.
   */
  place(channel: RecordingChannel, atSample: number, pcm: Float32Array, length = pcm.length): number {
    const c = channel - 1;
    const cursor = this.#cursor[c]!;
    const wanted = cursor >= 0 && atSample - cursor <= this.#gapTolerance ? cursor : atSample;
    const start = Math.max(wanted, this.#base);
    const end = start + length;
    if (end - this.#base > this.#left.length) this.#grow(end - this.#base);
    const into = c === 0 ? this.#left : this.#right;
    const n = Math.min(length, pcm.length);
    into.set(n === pcm.length ? pcm : pcm.subarray(0, n), start - this.#base);
    this.#cursor[c] = end;
    if (end > this.#end) this.#end = end;
    return start;
  }

  /** Emit every sample before `upTo` (silence past the last frame is emitted too; call only below later frames). */
  drain(upTo: number, out: (pcm: Buffer) => void): void {
    const n = Math.floor(upTo) - this.#base;
    if (n <= 0) return;
    const held = Math.max(0, Math.min(n, this.#end - this.#base));
    if (held > 0) out(this.#interleave(held));
    for (let zeros = (n - held) * 4; zeros > 0; zeros -= ZERO_BLOCK.length) {
      out(zeros >= ZERO_BLOCK.length ? ZERO_BLOCK : ZERO_BLOCK.subarray(0, zeros));
    }
    this.#shift(n);
  }

  /** Emit the rest, up to the end of the last frame. Returns the total number of sample frames. */
  finish(out: (pcm: Buffer) => void): number {
    this.drain(this.#end, out);
    return this.#base;
  }

  #interleave(n: number): Buffer {
    const pcm = new Int16Array(n * 2);
    const left = this.#left;
    const right = this.#right;
    for (let i = 0, j = 0; i < n; i++, j += 2) {
      pcm[j] = toInt16(left[i]!);
      pcm[j + 1] = toInt16(right[i]!);
    }
    const bytes = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    return BIG_ENDIAN ? bytes.swap16() : bytes;
  }

  #shift(n: number): void {
    for (const buf of [this.#left, this.#right]) {
      if (n >= buf.length) buf.fill(0);
      else {
        buf.copyWithin(0, n);
        buf.fill(0, buf.length - n);
      }
    }
    this.#base += n;
  }

  #grow(need: number): void {
    const size = Math.max(this.#left.length * 2, need);
    const left = new Float32Array(size);
    const right = new Float32Array(size);
    left.set(this.#left);
    right.set(this.#right);
    this.#left = left;
    this.#right = right;
  }
}

/**
 * Float [-1, 1] → 16-bit, clipped, rounded half away from zero. The Int16Array store truncates toward zero,
 * so adding ±0.5 first rounds (cheaper than Math.round on the render's hottest loop).
 */
function toInt16(x: number): number {
  const s = x * 32767;
  return s >= 32767 ? 32767 : s <= -32768 ? -32768 : s >= 0 ? s + 0.5 : s - 0.5;
}
