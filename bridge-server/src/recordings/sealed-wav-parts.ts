import { rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { RecordingError } from './recording-errors.js';
import type { RecordingKey } from './recording-key.js';
import { sealedPartId, SEALED_PART_EXTENSION } from './sealed-part-format.js';
import { SealedPartWriter } from './sealed-part-writer.js';
import { WAV_HEADER_BYTES, wavHeader, type PcmFormat } from './wav-format.js';
import { renderRecordingPcm, type PcmRenderOptions, type PcmRenderResult, type PcmSink } from './wav-render.js';
import { DEFAULT_MAX_PART_BYTES, partDataBytes, partFileName, type WavPart } from './wav-split.js';

export interface SealedWavPartsOptions {
  /** Folder of the parts. */
  dir: string;
  /** Names the parts (`<id>.part-01-of-03.wav.enc`) and binds each part's chunks (`<id>.part-<n>`). */
  recordingId: string;
  key: RecordingKey;
  format: PcmFormat;
  /** Largest plaintext size of one part, header included (default {@link DEFAULT_MAX_PART_BYTES}). */
  maxPartBytes?: number;
  /** Goes into each part's header (milliseconds since the epoch). */
  createdAt: number;
  /** Plaintext bytes per sealed chunk, at least the 44-byte WAV header (default: the format's). */
  chunkBytes?: number;
}

export interface SealedWavPartsRenderOptions extends PcmRenderOptions {
  /** Names the parts, and the recording's header must carry it. */
  recordingId: string;
  /** Folder of the parts. */
  dir: string;
  maxPartBytes?: number;
  createdAt: number;
  chunkBytes?: number;
}

export interface SealedWavPartsResult extends PcmRenderResult {
  /** In order; `bytes` is each part's plaintext size (what a reader or a CRM gets), `path` the encrypted file. */
  parts: WavPart[];
  /** Plaintext bytes of all parts. */
  bytes: number;
}

/**
 * A {@link PcmSink} that cuts the PCM into WAV parts the way `splitWav` does (at most `maxPartBytes` each,
 * header included, cuts on sample frames, every part a complete WAV, names `<id>.part-01-of-03.wav` + `.enc`)
 * but writes each part encrypted as it goes ({@link SealedPartWriter}), so no plaintext PCM reaches the disk.
 * A part's WAV header is laid over its first bytes when it closes (its size is known then). Parts are written
 * under temporary names and renamed once all are complete, since the count in their names is only known at
 * the end; {@link SealedWavParts.abort} deletes everything.
 */
export class SealedWavParts implements PcmSink {
  readonly #o: SealedWavPartsOptions;
  readonly #perPart: number;
  readonly #done: { temp: string; bytes: number }[] = [];
  #current: SealedPartWriter | undefined;
  #queue: Buffer[] = [];
  #finished = false;

  constructor(opts: SealedWavPartsOptions) {
    this.#o = opts;
    const blockAlign = opts.format.channels * (opts.format.bitsPerSample / 8);
    this.#perPart = partDataBytes(opts.maxPartBytes ?? DEFAULT_MAX_PART_BYTES, blockAlign);
    if (opts.chunkBytes !== undefined && opts.chunkBytes < WAV_HEADER_BYTES) {
      throw new RangeError(`chunkBytes must hold the ${WAV_HEADER_BYTES}-byte WAV header, laid over the first chunk`);
    }
  }

  push(pcm: Buffer): void {
    this.#queue.push(pcm);
  }

  async flush(): Promise<void> {
    const queue = this.#queue;
    this.#queue = [];
    for (const block of queue) {
      for (let at = 0; at < block.length; ) {
        const part = this.#current ?? (await this.#open());
        const room = WAV_HEADER_BYTES + this.#perPart - part.bytes;
        const n = Math.min(room, block.length - at);
        await part.write(block.subarray(at, at + n));
        at += n;
        if (n === room) await this.#close();
      }
    }
  }

  /** Close the last part and rename every part into place; returns them in order. */
  async finish(): Promise<WavPart[]> {
    await this.flush();
    if (this.#current || this.#done.length === 0) await this.#close(this.#current ?? (await this.#open()));
    this.#finished = true;
    const { format, dir, recordingId } = this.#o;
    const bytesPerSecond = format.sampleRate * format.channels * (format.bitsPerSample / 8);
    const count = this.#done.length;
    const parts: WavPart[] = [];
    let start = 0;
    for (const [i, done] of this.#done.entries()) {
      const path = join(dir, partFileName(recordingId, i + 1, count) + SEALED_PART_EXTENSION);
      try {
        await rename(done.temp, path);
      } catch (error) {
        throw RecordingError.io(`rename of ${done.temp}`, error);
      }
      const data = done.bytes - WAV_HEADER_BYTES;
      parts.push({ path, index: i + 1, count, bytes: done.bytes, durationSec: data / bytesPerSecond, startSec: start / bytesPerSecond });
      start += data;
    }
    return parts;
  }

  /** Delete every part written so far (temporary or renamed). Never throws. */
  async abort(): Promise<void> {
    await this.#current?.abort();
    this.#current = undefined;
    const count = this.#done.length;
    for (const [i, done] of this.#done.entries()) {
      await unlink(done.temp).catch(() => {});
      if (this.#finished) await unlink(join(this.#o.dir, partFileName(this.#o.recordingId, i + 1, count) + SEALED_PART_EXTENSION)).catch(() => {});
    }
  }

  async #open(): Promise<SealedPartWriter> {
    const index = this.#done.length + 1;
    const { dir, recordingId, key, createdAt, chunkBytes } = this.#o;
    this.#current = await SealedPartWriter.create({
      path: join(dir, `${recordingId}.part-${index}${SEALED_PART_EXTENSION}.partial`),
      key,
      partId: sealedPartId(recordingId, index),
      createdAt,
      ...(chunkBytes === undefined ? {} : { chunkBytes }),
    });
    await this.#current.write(Buffer.alloc(WAV_HEADER_BYTES)); // room for the header, laid over at close
    return this.#current;
  }

  async #close(part = this.#current): Promise<void> {
    if (!part) return;
    this.#current = undefined;
    const data = part.bytes - WAV_HEADER_BYTES;
    try {
      const result = await part.close(wavHeader(this.#o.format, data));
      this.#done.push({ temp: result.path, bytes: result.bytes });
    } catch (error) {
      await part.abort();
      throw error;
    }
  }
}

/**
 * Render a recording ({@link renderRecordingPcm}) straight into encrypted WAV parts ({@link SealedWavParts}):
 * what the bridge delivers, without a plaintext WAV on disk at any moment. On failure (tampered recording,
 * I/O) every part is deleted and the error thrown.
 */
export async function renderSealedWavParts(opts: SealedWavPartsRenderOptions): Promise<SealedWavPartsResult> {
  const rate = opts.sampleRate ?? 16000;
  const sink = new SealedWavParts({
    dir: opts.dir,
    recordingId: opts.recordingId,
    key: opts.key,
    format: { channels: 2, sampleRate: rate, bitsPerSample: 16 },
    createdAt: opts.createdAt,
    ...(opts.maxPartBytes === undefined ? {} : { maxPartBytes: opts.maxPartBytes }),
    ...(opts.chunkBytes === undefined ? {} : { chunkBytes: opts.chunkBytes }),
  });
  try {
    const rendered = await renderRecordingPcm(opts, sink);
    const parts = await sink.finish();
    return { ...rendered, parts, bytes: parts.reduce((n, p) => n + p.bytes, 0) };
  } catch (error) {
    await sink.abort();
    throw error;
  }
}

