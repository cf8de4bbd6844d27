import { timingSafeEqual } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { ChunkCipher, SEAL_OVERHEAD } from './chunk-cipher.js';
import { readFully } from './file-io.js';
import { RecordingError, RecordingTamperedError } from './recording-errors.js';
import { decodeFileHeader, decodeRecordHeader, MAX_HEADER_BYTES, RECORD_HEADER_BYTES } from './recording-format.js';
import type { RecordingKey } from './recording-key.js';
import { recordOffset, sealedPartLayout, type SealedPartLayout } from './sealed-part-format.js';

export interface SealedPartReaderOptions {
  /** If given, the header must name this part (`sealedPartId(recordingId, index)`): a file swapped in is refused. */
  partId?: string;
}

/**
 * Reads an encrypted rendered part (format: sealed-part-format.ts) back as plaintext, whole or any byte range,
 * decrypting only the chunks the range touches.
 *
 * Opening checks the header and key, works out the layout from the file size and the first record, and
 * authenticates the final chunk, so {@link SealedPartReader.size} — what `Content-Length` announces — is
 * authentic before a byte is served. Every chunk read is authenticated as its index and final flag and must
 * have the layout's size; anything else throws {@link RecordingTamperedError} (a part has no crash tail).
 */
export class SealedPartReader {
  readonly path: string;
  readonly partId: string;
  /** Plaintext bytes of the part. */
  readonly size: number;
  /** The encrypted file's size and modification time at open (for validators such as an HTTP ETag). */
  readonly file: { bytes: number; modifiedAt: Date };
  readonly #fh: FileHandle;
  readonly #cipher: ChunkCipher;
  readonly #layout: SealedPartLayout;
  /** The final chunk's plaintext, authenticated at open. */
  #last: Buffer = Buffer.alloc(0);
  #closed = false;

  private constructor(path: string, fh: FileHandle, cipher: ChunkCipher, layout: SealedPartLayout, file: { bytes: number; modifiedAt: Date }) {
    this.path = path;
    this.file = file;
    this.partId = cipher.recordingId;
    this.#fh = fh;
    this.#cipher = cipher;
    this.#layout = layout;
    this.size = layout.plainBytes;
  }

  /**
   * Open a part. Throws `RecordingError`: `not-a-recording` (no container header, another part than asked,
   * or a call recording rather than a part), `wrong-key`, `tampered` (the layout does not fit the file, or the
   * final chunk fails authentication) or `io`.
   */
  static async open(path: string, key: RecordingKey, opts: SealedPartReaderOptions = {}): Promise<SealedPartReader> {
    let fh: FileHandle | undefined;
    try {
      fh = await open(path, 'r');
      const stats = await fh.stat();
      const fileBytes = stats.size;
      const head = Buffer.alloc(Math.min(fileBytes, MAX_HEADER_BYTES));
      await readFully(fh, head, 0);
      const header = decodeFileHeader(head, path);
      if (!header) throw RecordingError.notARecording(path, 'the header is cut short');
      const id = header.recordingId;
      if (opts.partId !== undefined && id !== opts.partId) throw RecordingError.notARecording(path, `it holds ${id}, not ${opts.partId}`);
      const cipher = new ChunkCipher(key, id, 'rendered-part');
      if (!timingSafeEqual(cipher.keyCheck, header.keyCheck)) {
        if (timingSafeEqual(new ChunkCipher(key, id).keyCheck, header.keyCheck)) {
          throw RecordingError.notARecording(path, 'it is a call recording, not a rendered part');
        }
        throw RecordingError.wrongKey(path);
      }
      const tampered = (why: string) => RecordingTamperedError.chunk(id, 0, why);
      const firstHead = Buffer.alloc(RECORD_HEADER_BYTES);
      if (fileBytes < header.length + RECORD_HEADER_BYTES) throw tampered('is missing');
      await readFully(fh, firstHead, header.length);
      const first = decodeRecordHeader(firstHead);
      if (!first || first.index !== 0) throw tampered('is not a record');
      const layout = sealedPartLayout(fileBytes, header.length, first);
      if (typeof layout === 'string') throw tampered(`does not start a whole part: ${layout}`);
      const reader = new SealedPartReader(path, fh, cipher, layout, { bytes: fileBytes, modifiedAt: stats.mtime });
      reader.#last = await reader.#chunk(layout.chunks - 1);
      return reader;
    } catch (error) {
      await fh?.close().catch(() => {});
      throw error instanceof RecordingError ? error : RecordingError.io(`read of ${path}`, error);
    }
  }

  /**
   * The plaintext bytes `[start, end)` (default: all), in order, one chunk's worth at a time. Throws
   * RangeError for a range outside `[0, size]`, `RecordingTamperedError` at the first chunk that fails.
   */
  async *read(start = 0, end = this.size): AsyncGenerator<Buffer> {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > this.size) {
      throw new RangeError(`bytes ${start}-${end} are outside a part of ${this.size} bytes`);
    }
    const c = this.#layout.chunkBytes;
    for (let at = start; at < end; ) {
      const index = Math.floor(at / c);
      const plain = index === this.#layout.chunks - 1 ? this.#last : await this.#chunk(index);
      const from = at - index * c;
      const to = Math.min(plain.length, end - index * c);
      yield plain.subarray(from, to);
      at = index * c + to;
    }
  }

  /** Close the file. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#fh.close().catch(() => {});
  }

  /** Read and authenticate chunk `index`. */
  async #chunk(index: number): Promise<Buffer> {
    if (this.#closed) throw RecordingError.io(`read of ${this.path}`, new Error('reader is closed'));
    const { chunks, chunkBytes, lastChunkBytes } = this.#layout;
    const final = index === chunks - 1;
    const offset = recordOffset(this.#layout, index);
    const head = Buffer.alloc(RECORD_HEADER_BYTES);
    try {
      await readFully(this.#fh, head, offset);
    } catch (error) {
      throw RecordingError.io(`read of ${this.path}`, error);
    }
    const record = decodeRecordHeader(head);
    const sealedLength = (final ? lastChunkBytes : chunkBytes) + SEAL_OVERHEAD;
    if (!record || record.index !== index || record.final !== final || record.sealedLength !== sealedLength) {
      throw RecordingTamperedError.chunk(this.partId, index, `is not the ${final ? 'final ' : ''}record the part's layout puts there`);
    }
    const sealed = Buffer.allocUnsafe(sealedLength);
    try {
      await readFully(this.#fh, sealed, offset + RECORD_HEADER_BYTES);
    } catch (error) {
      throw RecordingError.io(`read of ${this.path}`, error);
    }
    return this.#cipher.open(index, final, sealed);
  }
}

/**
 * The whole plaintext of a part, for streaming (the outbox's `readFile` hook): opens, yields chunk by chunk
 * and closes, also when the consumer stops early. Errors as {@link SealedPartReader.open} and `read`.
 */
export async function* readSealedPart(path: string, key: RecordingKey, opts: SealedPartReaderOptions = {}): AsyncGenerator<Uint8Array> {
  const reader = await SealedPartReader.open(path, key, opts);
  try {
    yield* reader.read();
  } finally {
    await reader.close();
  }
}
