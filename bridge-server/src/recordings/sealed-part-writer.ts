import { open, unlink, type FileHandle } from 'node:fs/promises';
import { ChunkCipher } from './chunk-cipher.js';
import { writeFully } from './file-io.js';
import { RecordingError } from './recording-errors.js';
import { encodeFileHeader, encodeRecordHeader } from './recording-format.js';
import type { RecordingKey } from './recording-key.js';
import { DEFAULT_PART_CHUNK_BYTES, MAX_PART_CHUNK_BYTES, recordBytes, recordOffset } from './sealed-part-format.js';

export interface SealedPartWriterOptions {
  /** The file to write (created, or truncated if a stale one is there; mode 0600). */
  path: string;
  key: RecordingKey;
  /** The id the chunks are bound to: `sealedPartId(recordingId, index)`. */
  partId: string;
  /** Goes into the header (milliseconds since the epoch). */
  createdAt: number;
  /** Plaintext bytes per chunk (default {@link DEFAULT_PART_CHUNK_BYTES}). */
  chunkBytes?: number;
}

export interface SealedPartResult {
  path: string;
  /** Plaintext bytes (what a reader returns). */
  bytes: number;
  /** Size of the encrypted file. */
  fileBytes: number;
}

/**
 * Writes one rendered part encrypted (format: sealed-part-format.ts): plaintext in, fixed-size sealed chunks
 * out, so no plaintext byte reaches the disk. Writes are sequential; a file header that is only known at the
 * end (a WAV's sizes) is passed to {@link SealedPartWriter.close} and replaces the first bytes written: the
 * first chunk is kept in memory until then and sealed last, into its reserved place. Memory: two chunks.
 *
 * Errors are `RecordingError` (`io`); after one the writer is unusable and {@link SealedPartWriter.abort}
 * removes the file.
 */
export class SealedPartWriter {
  readonly path: string;
  readonly partId: string;
  readonly #fh: FileHandle;
  readonly #cipher: ChunkCipher;
  readonly #layout: { headerBytes: number; chunkBytes: number };
  /** The chunk being filled. */
  readonly #buf: Buffer;
  #used = 0;
  /** Chunk 0's plaintext once full, held back for the header passed to close. */
  #first: Buffer | undefined;
  /** Index of the chunk being filled. */
  #index = 0;
  #bytes = 0;
  #done = false;

  private constructor(fh: FileHandle, cipher: ChunkCipher, opts: SealedPartWriterOptions, headerBytes: number, chunkBytes: number) {
    this.#fh = fh;
    this.#cipher = cipher;
    this.path = opts.path;
    this.partId = opts.partId;
    this.#layout = { headerBytes, chunkBytes };
    this.#buf = Buffer.alloc(chunkBytes);
  }

  /** Create the file and write its header. Throws `RecordingError` (`invalid-id`, `io`) or RangeError. */
  static async create(opts: SealedPartWriterOptions): Promise<SealedPartWriter> {
    const chunkBytes = opts.chunkBytes ?? DEFAULT_PART_CHUNK_BYTES;
    if (!Number.isInteger(chunkBytes) || chunkBytes < 1 || chunkBytes > MAX_PART_CHUNK_BYTES) {
      throw new RangeError(`chunkBytes must be an integer from 1 to ${MAX_PART_CHUNK_BYTES}`);
    }
    const cipher = new ChunkCipher(opts.key, opts.partId, 'rendered-part');
    const header = encodeFileHeader(opts.partId, opts.createdAt, cipher.keyCheck);
    let fh: FileHandle | undefined;
    try {
      fh = await open(opts.path, 'w', 0o600);
      await writeFully(fh, header, 0);
      return new SealedPartWriter(fh, cipher, opts, header.length, chunkBytes);
    } catch (error) {
      await fh?.close().catch(() => {});
      await unlink(opts.path).catch(() => {});
      throw RecordingError.io(`create ${opts.path}`, error);
    }
  }

  /** Plaintext bytes written so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Append `data`. Call one at a time (await each). */
  async write(data: Uint8Array): Promise<void> {
    this.#check();
    for (let at = 0; at < data.length; ) {
      const n = Math.min(data.length - at, this.#buf.length - this.#used);
      this.#buf.set(data.subarray(at, at + n), this.#used);
      this.#used += n;
      this.#bytes += n;
      at += n;
      if (this.#used === this.#buf.length) await this.#sealFull();
    }
  }

  /**
   * Seal the rest as the final chunk, then chunk 0 with `head` laid over its first bytes, sync and close.
   * `head` may be at most one chunk and at most the bytes written. The file stays where it is (the caller
   * renames it into place).
   */
  async close(head?: Uint8Array): Promise<SealedPartResult> {
    this.#check();
    if (head && (head.length > this.#bytes || head.length > this.#layout.chunkBytes)) {
      throw new RangeError(`a head of ${head.length} bytes does not fit over the first ${Math.min(this.#bytes, this.#layout.chunkBytes)} bytes`);
    }
    this.#done = true;
    try {
      const last = this.#index;
      if (last === 0) {
        if (head) this.#buf.set(head, 0);
        await this.#writeChunk(0, true, this.#buf.subarray(0, this.#used));
      } else {
        await this.#writeChunk(last, true, this.#buf.subarray(0, this.#used));
        if (head) this.#first!.set(head, 0);
        await this.#writeChunk(0, false, this.#first!);
      }
      await this.#fh.datasync();
      const fileBytes = recordOffset(this.#layout, last) + recordBytes(this.#used);
      return { path: this.path, bytes: this.#bytes, fileBytes };
    } catch (error) {
      throw error instanceof RecordingError ? error : RecordingError.io(`write to ${this.path}`, error);
    } finally {
      await this.#fh.close().catch(() => {});
      this.#first?.fill(0);
      this.#buf.fill(0);
    }
  }

  /** Give up: close and delete the file. Idempotent, never throws. */
  async abort(): Promise<void> {
    if (!this.#done) {
      this.#done = true;
      await this.#fh.close().catch(() => {});
    }
    this.#first?.fill(0);
    this.#buf.fill(0);
    await unlink(this.path).catch(() => {});
  }

  #check(): void {
    if (this.#done) throw RecordingError.io(`write to ${this.path}`, new Error('the part writer is closed'));
  }

  async #sealFull(): Promise<void> {
    if (this.#index === 0) this.#first = Buffer.from(this.#buf);
    else {
      try {
        await this.#writeChunk(this.#index, false, this.#buf);
      } catch (error) {
        this.#done = true;
        await this.#fh.close().catch(() => {});
        throw RecordingError.io(`write to ${this.path}`, error);
      }
    }
    this.#index++;
    this.#used = 0;
  }

  async #writeChunk(index: number, final: boolean, plain: Uint8Array): Promise<void> {
    const sealed = this.#cipher.seal(index, final, plain);
    const record = Buffer.concat([encodeRecordHeader({ final, index, sealedLength: sealed.length }), sealed]);
    await writeFully(this.#fh, record, recordOffset(this.#layout, index));
  }
}
