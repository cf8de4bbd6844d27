import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { OpusDecoder } from 'opus-decoder';
import { opusPacketSamples } from '../media/ogg-opus.js';
import { writeFully } from './file-io.js';
import { RecordingError } from './recording-errors.js';
import { RecordingReader, type RecordingDamage } from './recording-reader.js';
import type { RecordingKey } from './recording-key.js';
import { StereoTimeline } from './stereo-timeline.js';
import { MAX_WAV_DATA_BYTES, WAV_HEADER_BYTES, wavHeader } from './wav-format.js';

/** Output rates libopus decodes to natively (RFC 6716 §2: 8, 12, 16, 24 and 48 kHz). */
export type WavSampleRate = 8000 | 12000 | 16000 | 24000 | 48000;

/** What to render: a recording file and the key it was written under. */
export interface PcmRenderOptions {
  /** The recording file (`.srec`). */
  source: string;
  key: RecordingKey;
  /** Default 16000: wideband, what speech in WebRTC Opus carries and what CRM transcription wants. */
  sampleRate?: WavSampleRate;
  /** If given, the recording's header must carry this id. */
  recordingId?: string;
}

export interface WavRenderOptions extends PcmRenderOptions {
  /** Where the WAV goes; written as `<outPath>.partial` and renamed when complete. */
  outPath: string;
}

/**
 * Where rendered PCM goes: interleaved 16-bit little-endian stereo blocks in playing order. `push` only queues
 * (it runs on the decode loop); `flush` writes what was queued and is awaited before more is decoded.
 */
export interface PcmSink {
  push(pcm: Buffer): void;
  flush(): Promise<void>;
}

/** How a recording was rendered, whatever the output. */
export interface PcmRenderResult {
  /** Stereo sample frames emitted. */
  frames: number;
  durationSec: number;
  sampleRate: WavSampleRate;
  channels: 2;
  /** False when the recording was cut short (crash): the output holds everything up to the last good chunk. */
  intact: boolean;
  lastGoodChunk: number;
  damage: RecordingDamage | undefined;
  /** What the caller heard of the recording-consent announcement before the recording began, if one was played. */
  consentAnnouncement: 'played' | 'interrupted' | null;
}

export interface WavRenderResult extends PcmRenderResult {
  path: string;
  bytes: number;
}

const SAMPLE_RATES: readonly number[] = [8000, 12000, 16000, 24000, 48000];
/** How far behind the newest arrival the timeline may still change (tolerates out-of-order `atMs`). */
const LOOKBACK_MS = 1000;
/** Lateness absorbed as arrival jitter rather than rendered as a gap (see StereoTimeline). */
const JITTER_TOLERANCE_MS = 60;
/** Emit at most this often, so the buffers are shifted in large steps rather than per frame. */
const DRAIN_STEP_MS = 500;

/**
 * Render a recording as a stereo 16-bit PCM WAV: channel 1 (left) the caller, channel 2 (right) the agent.
 * The PCM is {@link renderRecordingPcm}'s. The header is written last and the file renamed into place, so a
 * crash mid-render never leaves a WAV that looks complete. A tampered recording throws
 * {@link RecordingTamperedError} and leaves no output. The WAV is plaintext: the bridge itself renders into
 * encrypted parts instead (`renderSealedWavParts`); this one is for tools and tests.
 */
export async function renderRecordingWav(opts: WavRenderOptions): Promise<WavRenderResult> {
  const rate = checkRate(opts.sampleRate);
  const partial = `${opts.outPath}.partial`;
  let fh: FileHandle | undefined;
  try {
    fh = await open(partial, 'w', 0o600);
    const out = new PcmFileWriter(fh, WAV_HEADER_BYTES);
    const rendered = await renderRecordingPcm({ ...opts, sampleRate: rate }, out);
    const dataBytes = rendered.frames * 4;
    await out.writeAt(wavHeader({ channels: 2, sampleRate: rate, bitsPerSample: 16 }, dataBytes), 0);
    await fh.datasync();
    await fh.close();
    fh = undefined;
    await rename(partial, opts.outPath);
    return { ...rendered, path: opts.outPath, bytes: WAV_HEADER_BYTES + dataBytes };
  } catch (error) {
    await fh?.close().catch(() => {});
    await unlink(partial).catch(() => {});
    throw error instanceof RecordingError || error instanceof RangeError ? error : RecordingError.io(`render of ${opts.source}`, error);
  }
}

/**
 * Decode a recording onto a stereo timeline and hand the PCM to `sink`: channel 1 (left) the caller, channel 2
 * (right) the agent.
 *
 * Decoding: one Opus decoder per channel (Opus decoders are stateful, RFC 6716 §4), each asked for the output
 * rate directly. libopus decodes natively at 8/12/16/24/48 kHz (RFC 6716 §2: the CELT layer drops the bands
 * above the output Nyquist in the MDCT domain, SILK decodes at its internal rate and uses its own resampler),
 * which is the proper anti-aliasing low-pass and costs a third of a 48 kHz decode plus a separate FIR
 * decimator — so no box filter of our own: it would be both worse and slower.
 *
 * Placement ({@link StereoTimeline}): each frame at its arrival time, bunched frames one after another,
 * up to {@link JITTER_TOLERANCE_MS} of lateness joined seamlessly (jitter, not silence), longer gaps and
 * paused spans silent (frames are never written while paused), duration = end of the last frame.
 * A packet the decoder rejects becomes silence of its nominal length (RFC 6716 §3.1 TOC).
 *
 * Streaming: one recording chunk is read and decoded at a time and PCM is flushed to the sink as it becomes
 * final, so memory stays at about a chunk plus {@link LOOKBACK_MS} whatever the call's length. Throws
 * {@link RecordingTamperedError} on a tampered recording (the sink may have received PCM before it).
 */
export async function renderRecordingPcm(opts: PcmRenderOptions, sink: PcmSink): Promise<PcmRenderResult> {
  const rate = checkRate(opts.sampleRate);
  const reader = await RecordingReader.open(opts.source, opts.key, opts.recordingId === undefined ? {} : { recordingId: opts.recordingId });
  const decoders: OpusDecoder<WavSampleRate>[] = [];
  try {
    decoders.push(new OpusDecoder({ sampleRate: rate, channels: 1 }), new OpusDecoder({ sampleRate: rate, channels: 1 }));
    await Promise.all(decoders.map((d) => d.ready));
    const timeline = new StereoTimeline((JITTER_TOLERANCE_MS * rate) / 1000);
    const push = (pcm: Buffer) => sink.push(pcm);
    const lookback = (LOOKBACK_MS * rate) / 1000;
    const step = (DRAIN_STEP_MS * rate) / 1000;
    const silence = new Float32Array(0);
    let consentAnnouncement: PcmRenderResult['consentAnnouncement'] = null;
    for await (const chunk of reader.chunks()) {
      for (const frame of chunk.frames) {
        const at = Math.round((frame.atMs * rate) / 1000);
        if (at - lookback - timeline.emitted >= step) timeline.drain(at - lookback, push);
        const decoded = decoders[frame.channel - 1]!.decodeFrame(frame.payload);
        if (decoded.samplesDecoded > 0) timeline.place(frame.channel, at, decoded.channelData[0]!, decoded.samplesDecoded);
        else timeline.place(frame.channel, at, silence, nominalSamples(frame.payload, rate));
      }
      for (const m of chunk.markers) {
        if (m.kind === 'consent-played') consentAnnouncement = 'played';
        else if (m.kind === 'consent-interrupted') consentAnnouncement = 'interrupted';
      }
      await sink.flush();
    }
    const frames = timeline.finish(push);
    await sink.flush();
    return {
      frames,
      durationSec: frames / rate,
      sampleRate: rate,
      channels: 2,
      intact: reader.intact === true,
      lastGoodChunk: reader.lastGoodChunk,
      damage: reader.damage,
      consentAnnouncement,
    };
  } catch (error) {
    throw error instanceof RecordingError || error instanceof RangeError ? error : RecordingError.io(`render of ${opts.source}`, error);
  } finally {
    await reader.close();
    for (const d of decoders) d.free();
  }
}

function checkRate(rate: WavSampleRate | undefined = 16000): WavSampleRate {
  if (!SAMPLE_RATES.includes(rate)) throw new RangeError(`sampleRate must be one of ${SAMPLE_RATES.join(', ')}`);
  return rate;
}

/** Samples the packet would have decoded to at `rate`, from its TOC byte; 20 ms if even that is unreadable. */
function nominalSamples(packet: Uint8Array, rate: number): number {
  let at48k = 960;
  try {
    at48k = opusPacketSamples(packet);
  } catch {
    // keep 20 ms
  }
  return (at48k * rate) / 48000;
}

/** Sequential writes of queued PCM blocks after a reserved header; refuses to grow past the RIFF limit. */
class PcmFileWriter implements PcmSink {
  readonly #fh: FileHandle;
  #position: number;
  readonly #dataStart: number;
  #queue: Buffer[] = [];

  constructor(fh: FileHandle, dataStart: number) {
    this.#fh = fh;
    this.#position = dataStart;
    this.#dataStart = dataStart;
  }

  push(pcm: Buffer): void {
    this.#queue.push(pcm);
  }

  async flush(): Promise<void> {
    const queue = this.#queue;
    this.#queue = [];
    for (const block of queue) {
      if (this.#position + block.length - this.#dataStart > MAX_WAV_DATA_BYTES) throw RecordingError.tooLong('the recording');
      await this.writeAt(block, this.#position);
      this.#position += block.length;
    }
  }

  writeAt(data: Buffer, position: number): Promise<void> {
    return writeFully(this.#fh, data, position);
  }
}
