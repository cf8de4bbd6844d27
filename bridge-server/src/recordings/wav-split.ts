import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeFully } from './file-io.js';
import { RecordingError } from './recording-errors.js';
import { readWavInfo, WAV_HEADER_BYTES, wavHeader } from './wav-format.js';

/** 50 MB: the largest attachment the issue lets a CRM receive in one piece (configurable). */
export const DEFAULT_MAX_PART_BYTES = 50 * 1000 * 1000;

export interface WavSplitOptions {
  /** Largest file size of one part, header included (default {@link DEFAULT_MAX_PART_BYTES}). */
  maxBytes?: number;
  /** Folder for the parts (default: the source's folder). */
  outDir?: string;
}

export interface WavPart {
  path: string;
  /** 1-based, in playing order. */
  index: number;
  count: number;
  bytes: number;
  durationSec: number;
  /** Offset of the part's first sample frame in the whole recording, in seconds. */
  startSec: number;
}

const COPY_BLOCK_BYTES = 1024 * 1024;

/**
 * Split a PCM WAV into parts of at most `maxBytes` each, in order, every part a complete WAV of its own (a
 * 44-byte header with the source's format) so a CRM can play any part alone. Cuts fall on sample-frame
 * boundaries, so the parts' PCM concatenated is exactly the source's and their durations add up to the
 * whole. Names: `<name>.part-01-of-03.wav` (wider numbers past 99 parts). Always writes parts, even when
 * one suffices, so the caller handles every recording alike and may delete the source afterwards; the
 * source is not modified. Each part is written under a temporary name and renamed when complete.
 */
export async function splitWav(source: string, opts: WavSplitOptions = {}): Promise<WavPart[]> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_PART_BYTES;
  let fh: FileHandle | undefined;
  try {
    fh = await open(source, 'r');
    const info = await readWavInfo(fh, source);
    const perPart = partDataBytes(maxBytes, info.blockAlign);
    const count = Math.max(1, Math.ceil(info.dataBytes / perPart));
    const stem = basename(source).replace(/\.wav$/i, '');
    const dir = opts.outDir ?? dirname(source);
    const bytesPerSecond = info.sampleRate * info.blockAlign;
    const block = Buffer.allocUnsafe(Math.min(COPY_BLOCK_BYTES, perPart));
    const parts: WavPart[] = [];
    for (let i = 0; i < count; i++) {
      const from = i * perPart;
      const length = Math.min(perPart, info.dataBytes - from);
      const path = join(dir, partFileName(stem, i + 1, count));
      await writePart(path, wavHeader(info, length), fh, info.dataOffset + from, length, block);
      parts.push({ path, index: i + 1, count, bytes: WAV_HEADER_BYTES + length, durationSec: length / bytesPerSecond, startSec: from / bytesPerSecond });
    }
    return parts;
  } catch (error) {
    throw error instanceof RecordingError || error instanceof RangeError ? error : RecordingError.io(`split of ${source}`, error);
  } finally {
    await fh?.close().catch(() => {});
  }
}

/**
 * PCM bytes one part of at most `maxBytes` (header included) holds: whole sample frames only. Throws
 * RangeError when not even one frame fits after the 44-byte header.
 */
export function partDataBytes(maxBytes: number, blockAlign: number): number {
  const perPart = Math.floor((maxBytes - WAV_HEADER_BYTES) / blockAlign) * blockAlign;
  if (!(perPart > 0)) throw new RangeError(`maxBytes ${maxBytes} leaves no room for one sample frame after the ${WAV_HEADER_BYTES}-byte header`);
  return perPart;
}

/** `<stem>.part-01-of-03.wav`: numbers zero-padded to the same width, at least two digits. */
export function partFileName(stem: string, index: number, count: number): string {
  const width = Math.max(2, String(count).length);
  return `${stem}.part-${String(index).padStart(width, '0')}-of-${String(count).padStart(width, '0')}.wav`;
}

async function writePart(path: string, header: Buffer, src: FileHandle, from: number, length: number, block: Buffer): Promise<void> {
  const temp = `${path}.partial`;
  const out = await open(temp, 'w', 0o600);
  try {
    await writeFully(out, header, 0);
    for (let done = 0; done < length; ) {
      const want = Math.min(block.length, length - done);
      const { bytesRead } = await src.read(block, 0, want, from + done);
      if (bytesRead === 0) throw new Error(`source ended at byte ${from + done}`);
      await writeFully(out, block.subarray(0, bytesRead), WAV_HEADER_BYTES + done);
      done += bytesRead;
    }
    await out.datasync();
    await out.close();
    await rename(temp, path);
  } catch (error) {
    await out.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw error;
  }
}
