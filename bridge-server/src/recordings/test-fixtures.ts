/**
 * Shared by the recording tests (not used by the bridge): a key, temporary folders, real Opus audio and a
 * record-level view of a recording file for the tamper and crash tests.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadHoldAudio } from '../media/hold-player.js';
import type { OpusPacket } from '../media/ogg-opus.js';
import { decodeFileHeader, decodeRecordHeader, RECORD_HEADER_BYTES } from './recording-format.js';
import { parseRecordingKey } from './recording-key.js';

export const TEST_KEY = parseRecordingKey('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
export const OTHER_KEY = parseRecordingKey('f'.repeat(64));

/**
 * A 20 ms CELT-only Opus packet that decodes to digital silence (TOC 0xF8: config 31, fullband CELT 20 ms,
 * mono, one frame; RFC 6716 §3.1) — what WebRTC stacks send for silence.
 */
export const SILENT_PACKET: OpusPacket = Buffer.from([0xf8, 0xff, 0xfe]);

let hold: readonly OpusPacket[] | undefined;
/** The bundled hold music: about 8 s of real 20 ms Opus packets. */
export async function holdPackets(): Promise<readonly OpusPacket[]> {
  hold ??= await loadHoldAudio();
  return hold;
}

/** A fresh temporary folder per test; `cleanup()` removes them all (call it in afterEach). */
export function tempDirs(): { make(): Promise<string>; cleanup(): Promise<void> } {
  const made: string[] = [];
  return {
    async make() {
      const dir = await mkdtemp(join(tmpdir(), 'sambung-rec-'));
      made.push(dir);
      return dir;
    },
    async cleanup() {
      for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface RecordSpan {
  offset: number;
  /** Header plus sealed chunk. */
  length: number;
  index: number;
  final: boolean;
}

/** The header and the records of a (healthy) recording file, for cutting and splicing in tests. */
export async function recordSpans(path: string): Promise<{ bytes: Buffer; headerLength: number; records: RecordSpan[] }> {
  const bytes = await readFile(path);
  const headerLength = decodeFileHeader(bytes, path)!.length;
  const records: RecordSpan[] = [];
  for (let offset = headerLength; offset + RECORD_HEADER_BYTES <= bytes.length; ) {
    const head = decodeRecordHeader(bytes.subarray(offset, offset + RECORD_HEADER_BYTES));
    if (!head) break;
    const length = RECORD_HEADER_BYTES + head.sealedLength;
    records.push({ offset, length, index: head.index, final: head.final });
    offset += length;
  }
  return { bytes, headerLength, records };
}

/** Root-mean-square of every `step`-th sample starting at `first` of 16-bit little-endian PCM. */
export function rms(pcm: Buffer, first: number, step: number, fromSample = 0, toSample = Infinity): number {
  let sum = 0;
  let n = 0;
  const frames = Math.min(toSample, pcm.length / 2 / step);
  for (let i = fromSample; i < frames; i++) {
    const s = pcm.readInt16LE((i * step + first) * 2) / 32768;
    sum += s * s;
    n++;
  }
  return n === 0 ? 0 : Math.sqrt(sum / n);
}
