import { open, type FileHandle } from 'node:fs/promises';
import { timingSafeEqual } from 'node:crypto';
import { ChunkCipher } from './chunk-cipher.js';
import { readFully } from './file-io.js';
import { RecordingError, RecordingTamperedError } from './recording-errors.js';
import {
  decodeEntries,
  decodeFileHeader,
  decodeRecordHeader,
  MAX_HEADER_BYTES,
  RECORD_HEADER_BYTES,
  RECORD_MAGIC,
  type RecordedFrame,
  type RecordHeader,
  type RecordingHeader,
  type RecordingMarker,
} from './recording-format.js';
import type { RecordingKey } from './recording-key.js';

/** One authenticated chunk's entries, in the order they were written. */
export interface RecordingChunk {
  index: number;
  final: boolean;
  frames: RecordedFrame[];
  markers: RecordingMarker[];
}

/** Where reading stopped early: a torn last write (crash) or bytes that are not records. */
export interface RecordingDamage {
  /** File offset of the first byte that is not part of an authentic chunk. */
  offset: number;
  /** Bytes from there to the end of the file. */
  bytes: number;
  reason: string;
}

export interface RecordingContents {
  header: RecordingHeader;
  frames: RecordedFrame[];
  markers: RecordingMarker[];
  /** True only if the writer closed the file (final chunk present) and nothing follows it. */
  intact: boolean;
  /** Index of the last chunk that decrypted, -1 if none did. */
  lastGoodChunk: number;
  damage: RecordingDamage | undefined;
}

export interface RecordingReaderOptions {
  /** If given, the header must name this recording (a file copied under another id's name is refused). */
  recordingId?: string;
}

const SCAN_WINDOW_BYTES = 1024 * 1024;

/**
 * Reads a recording file back (format: recording-format.ts), chunk by chunk, holding one chunk at a time.
 *
 * How the end of a file is judged (a recording is appended with one write per chunk, so a crash or `kill -9`
 * can only leave a *prefix* of the last record):
 * - Bytes that are not a record (no record magic) or a record that runs past the end of the file are a
 *   damaged tail: reading ends there cleanly, `intact` is false and {@link RecordingReader.damage} says where.
 *   Unless an authentic chunk is found anywhere after them: damage *followed by* good data is not a crash
 *   tail but an edit, and throws {@link RecordingTamperedError}.
 * - A complete record that fails authentication, or an authentic chunk at the wrong position (swapped,
 *   dropped, duplicated, or taken from another recording — all bound by the AAD) throws
 *   {@link RecordingTamperedError}: a crash cannot produce one.
 * - `intact` is true only when the final chunk (written by `close()`) was read and the file ends right
 *   after it: a file cut exactly at a chunk boundary is caught too.
 */
export class RecordingReader {
  readonly path: string;
  readonly header: RecordingHeader;
  readonly #fh: FileHandle;
  readonly #cipher: ChunkCipher;
  readonly #size: number;
  #intact: boolean | undefined;
  #lastGood = -1;
  #damage: RecordingDamage | undefined;
  #closed = false;

  private constructor(path: string, fh: FileHandle, header: RecordingHeader, cipher: ChunkCipher, size: number) {
    this.path = path;
    this.#fh = fh;
    this.header = header;
    this.#cipher = cipher;
    this.#size = size;
  }

  /**
   * Open a recording and check its header and key. Throws `RecordingError`: `not-a-recording` (no or
   * foreign header, header cut short, another recording id than asked), `wrong-key`, or `io`.
   */
  static async open(path: string, key: RecordingKey, opts: RecordingReaderOptions = {}): Promise<RecordingReader> {
    let fh: FileHandle | undefined;
    try {
      fh = await open(path, 'r');
      const size = (await fh.stat()).size;
      const head = Buffer.alloc(Math.min(size, MAX_HEADER_BYTES));
      await readFully(fh, head, 0);
      const header = decodeFileHeader(head, path);
      if (!header) throw RecordingError.notARecording(path, 'the header is cut short');
      if (opts.recordingId !== undefined && header.recordingId !== opts.recordingId) {
        throw RecordingError.notARecording(path, `it holds recording ${header.recordingId}, not ${opts.recordingId}`);
      }
      const cipher = new ChunkCipher(key, header.recordingId);
      if (!timingSafeEqual(cipher.keyCheck, header.keyCheck)) throw RecordingError.wrongKey(path);
      return new RecordingReader(path, fh, header, cipher, size);
    } catch (error) {
      await fh?.close().catch(() => {});
      throw error instanceof RecordingError ? error : RecordingError.io(`read of ${path}`, error);
    }
  }

  /** Set once {@link RecordingReader.chunks} has run to its end; undefined before. */
  get intact(): boolean | undefined {
    return this.#intact;
  }

  get lastGoodChunk(): number {
    return this.#lastGood;
  }

  get damage(): RecordingDamage | undefined {
    return this.#damage;
  }

  /**
   * Every authentic chunk in order. Ends cleanly at a damaged tail; throws {@link RecordingTamperedError} on
   * tampering (chunks yielded before it were authentic). Closes the file when done.
   */
  async *chunks(): AsyncGenerator<RecordingChunk> {
    if (this.#closed) throw RecordingError.io(`read of ${this.path}`, new Error('reader is closed'));
    try {
      let offset = this.header.length;
      let position = 0;
      let sawFinal = false;
      const recordHead = Buffer.alloc(RECORD_HEADER_BYTES);
      while (offset < this.#size) {
        const record = await this.#recordAt(offset, recordHead);
        if (typeof record === 'string' || sawFinal) {
          const reason = typeof record === 'string' ? record : 'bytes follow the final chunk';
          await this.#checkNothingAuthenticAfter(offset, position, reason);
          this.#damage = { offset, bytes: this.#size - offset, reason };
          break;
        }
        const sealed = Buffer.allocUnsafe(record.sealedLength);
        await readFully(this.#fh, sealed, offset + RECORD_HEADER_BYTES);
        if (record.index !== position) {
          const what = this.#authentic(record, sealed) ? `is chunk ${record.index} (chunks were reordered, removed or duplicated)` : 'failed authentication';
          throw RecordingTamperedError.chunk(this.header.recordingId, position, what);
        }
        const plain = this.#cipher.open(position, record.final, sealed);
        const chunk: RecordingChunk = { index: position, final: record.final, frames: [], markers: [] };
        decodeEntries(plain, this.path, (f) => chunk.frames.push(f), (m) => chunk.markers.push(m));
        this.#lastGood = position;
        sawFinal = record.final;
        position++;
        offset += RECORD_HEADER_BYTES + record.sealedLength;
        yield chunk;
      }
      this.#intact = sawFinal && this.#damage === undefined;
    } catch (error) {
      throw error instanceof RecordingError ? error : RecordingError.io(`read of ${this.path}`, error);
    } finally {
      await this.close();
    }
  }

  /** Close the file. Idempotent; called by {@link RecordingReader.chunks} when it ends. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#fh.close().catch(() => {});
  }

  /** The record header at `offset`, or why there is no whole record there. */
  async #recordAt(offset: number, into: Buffer): Promise<RecordHeader | string> {
    if (this.#size - offset < RECORD_HEADER_BYTES) return `a record header is cut short at byte ${offset}`;
    await readFully(this.#fh, into, offset);
    const record = decodeRecordHeader(into);
    if (!record) return `no record at byte ${offset}`;
    if (offset + RECORD_HEADER_BYTES + record.sealedLength > this.#size) return `the record at byte ${offset} is cut short`;
    return record;
  }

  #authentic(record: RecordHeader, sealed: Buffer): boolean {
    try {
      this.#cipher.open(record.index, record.final, sealed);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Damage is a crash tail only if no authentic chunk follows it (or, after the final chunk, no authentic
   * chunk at all): scan from the damage to the end for record headers and try each one that fits. Only runs
   * on damaged files; a crash tail is under one chunk long.
   */
  async #checkNothingAuthenticAfter(damageAt: number, position: number, reason: string): Promise<void> {
    const window = Buffer.allocUnsafe(SCAN_WINDOW_BYTES + RECORD_HEADER_BYTES);
    for (let start = damageAt; start < this.#size; start += SCAN_WINDOW_BYTES) {
      const length = Math.min(window.length, this.#size - start);
      const view = window.subarray(0, length);
      await readFully(this.#fh, view, start);
      for (let at = view.indexOf(RECORD_MAGIC, 0, 'latin1'); at >= 0 && at < SCAN_WINDOW_BYTES; at = view.indexOf(RECORD_MAGIC, at + 1, 'latin1')) {
        if (at + RECORD_HEADER_BYTES > length) break;
        const record = decodeRecordHeader(view.subarray(at, at + RECORD_HEADER_BYTES));
        const offset = start + at;
        if (!record || offset + RECORD_HEADER_BYTES + record.sealedLength > this.#size) continue;
        const sealed = Buffer.allocUnsafe(record.sealedLength);
        await readFully(this.#fh, sealed, offset + RECORD_HEADER_BYTES);
        if (this.#authentic(record, sealed)) {
          throw RecordingTamperedError.chunk(this.header.recordingId, position, `is damaged (${reason}) but authentic chunk ${record.index} follows at byte ${offset}`);
        }
      }
    }
  }
}

/** Read a whole recording into memory: every authentic frame and marker, and how the file ended. */
export async function readRecording(path: string, key: RecordingKey, opts: RecordingReaderOptions = {}): Promise<RecordingContents> {
  const reader = await RecordingReader.open(path, key, opts);
  const frames: RecordedFrame[] = [];
  const markers: RecordingMarker[] = [];
  for await (const chunk of reader.chunks()) {
    for (const f of chunk.frames) frames.push(f);
    for (const m of chunk.markers) markers.push(m);
  }
  return {
    header: reader.header,
    frames,
    markers,
    intact: reader.intact === true,
    lastGoodChunk: reader.lastGoodChunk,
    damage: reader.damage,
  };
}
