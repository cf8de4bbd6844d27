import { mkdir, open, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock, TimerHandle } from '../clock.js';
import type { MediaLeg } from '../media/media-leg.js';
import { CANONICAL_PT } from '../media/media-options.js';
import { ChunkCipher } from './chunk-cipher.js';
import { writeFully } from './file-io.js';
import { RecordingError } from './recording-errors.js';
import {
  checkRecordingId,
  encodeFileHeader,
  encodeRecordHeader,
  ENTRY_CONSENT_INTERRUPTED,
  ENTRY_CONSENT_PLAYED,
  ENTRY_PAUSE,
  ENTRY_RESUME,
  FRAME_ENTRY_OVERHEAD,
  MARKER_ENTRY_BYTES,
  MAX_AT_MS,
  MAX_FRAME_PAYLOAD,
  RECORDING_EXTENSION,
  type RecordingChannel,
} from './recording-format.js';
import type { RecordingKey } from './recording-key.js';

export interface RecordingWriterOptions {
  /** Folder for the recording file (created if missing). */
  dir: string;
  /** Names the file (`<id>.srec`) and is bound into every chunk's encryption. */
  recordingId: string;
  key: RecordingKey;
  /** Frame times and the flush timer (ManualClock in tests). */
  clock: Clock;
  /** A chunk is written and synced at least this often while frames arrive (default 5000 ms). */
  flushIntervalMs?: number;
  /** Buffered plaintext beyond which a chunk is written early (default 1 MiB), bounding memory. */
  maxBufferedBytes?: number;
  /** Told once if writing fails; later frames are dropped and `close()` rejects with the same error. */
  onError?: (error: RecordingError) => void;
}

export interface RecordingResult {
  path: string;
  /** Size of the finished file. */
  bytes: number;
  /** Time from `open` to `close` on the writer's clock. */
  durationMs: number;
}

export interface RecordingWriterStats {
  frames: number;
  /** Frames dropped because the recording was paused. */
  redacted: number;
  chunks: number;
  bytes: number;
}

/** A leg the writer can tap: anything with MediaLeg's `onRtp`. */
export type TappableLeg = Pick<MediaLeg, 'onRtp'>;

const DEFAULT_FLUSH_INTERVAL_MS = 5000;
const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;
const INITIAL_BUFFER_BYTES = 64 * 1024;

/**
 * Records one call into an append-only encrypted file (format: recording-format.ts; crypto: chunk-cipher.ts).
 *
 * Frames are appended to one reusable in-memory buffer: {@link RecordingWriter.write} is a bounds check and a
 * copy, with no system call and no allocation (it runs once per RTP packet on the media path). Every
 * `flushIntervalMs` on the injected clock, the buffered entries are sealed as one chunk (synchronously, so the
 * buffer is free again at once) and appended with a `datasync`, so a crash or `kill -9` loses at most one
 * interval. Appends are queued one after another and never block the caller.
 *
 * `pause()`/`resume()` redact (card numbers): frames written while paused are dropped, and both moments are
 * recorded as markers, so the rendering has silence there and the reason is visible.
 *
 * `close()` seals whatever is buffered as the *final* chunk (even if empty: a reader treats a file without
 * one as cut short), syncs, closes the file and unsubscribes any legs it tapped. Idempotent; frames written
 * after it are dropped silently (a packet racing the hang-up is not an error).
 */
export class RecordingWriter {
  readonly path: string;
  readonly recordingId: string;
  /** `clock.now()` at open: the zero of every `atMs`. */
  readonly startedAt: number;

  readonly #fh: FileHandle;
  readonly #cipher: ChunkCipher;
  readonly #clock: Clock;
  readonly #flushIntervalMs: number;
  readonly #maxBuffered: number;
  readonly #onError: ((error: RecordingError) => void) | undefined;
  readonly #taps = new Set<() => void>();
  #buf = Buffer.allocUnsafe(INITIAL_BUFFER_BYTES);
  #used = 0;
  #nextIndex = 0;
  #fileBytes: number;
  #appending: Promise<void> = Promise.resolve();
  #timer: TimerHandle | undefined;
  #error: RecordingError | undefined;
  #paused = false;
  #closed = false;
  #closing: Promise<RecordingResult> | undefined;
  #frames = 0;
  #redacted = 0;

  private constructor(fh: FileHandle, path: string, cipher: ChunkCipher, startedAt: number, headerBytes: number, opts: RecordingWriterOptions) {
    this.#fh = fh;
    this.path = path;
    this.recordingId = opts.recordingId;
    this.#cipher = cipher;
    this.#clock = opts.clock;
    this.startedAt = startedAt;
    this.#fileBytes = headerBytes;
    this.#flushIntervalMs = opts.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
    this.#maxBuffered = opts.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.#onError = opts.onError;
    this.#armTimer();
  }

  /**
   * Create `<dir>/<recordingId>.srec` (never overwriting one that exists) and write and sync its header.
   * Throws `RecordingError` (`invalid-id`, or `io` when the file cannot be created).
   */
  static async open(opts: RecordingWriterOptions): Promise<RecordingWriter> {
    checkRecordingId(opts.recordingId);
    const interval = opts.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
    if (!(interval > 0)) throw new RangeError('flushIntervalMs must be positive');
    const cipher = new ChunkCipher(opts.key, opts.recordingId);
    const path = recordingPath(opts.dir, opts.recordingId);
    const startedAt = opts.clock.now();
    let fh: FileHandle | undefined;
    try {
      await mkdir(opts.dir, { recursive: true });
      fh = await open(path, 'wx', 0o600);
      const header = encodeFileHeader(opts.recordingId, startedAt, cipher.keyCheck);
      await writeFully(fh, header, 0);
      await fh.datasync();
      await syncDir(opts.dir);
      return new RecordingWriter(fh, path, cipher, startedAt, header.length, opts);
    } catch (error) {
      if (fh) {
        await fh.close().catch(() => {});
        await unlink(path).catch(() => {});
      }
      throw error instanceof RecordingError ? error : RecordingError.io(`open ${path}`, error);
    }
  }

  /**
   * Record one Opus packet from `channel` (1 = caller, 2 = agent), at `atMs` since the start (default: now
   * on the clock). Dropped while paused, after close or after a write failure. Copies the payload.
   */
  write(channel: RecordingChannel, payload: Uint8Array, atMs?: number): void {
    if (this.#closed || this.#error) return;
    if (this.#paused) {
      this.#redacted++;
      return;
    }
    if (channel !== 1 && channel !== 2) throw new RangeError(`recording channel must be 1 or 2, not ${String(channel)}`);
    const length = payload.length;
    if (length === 0 || length > MAX_FRAME_PAYLOAD) return;
    const at = this.#at(atMs);
    const need = FRAME_ENTRY_OVERHEAD + length;
    if (this.#used + need > this.#buf.length) this.#grow(need);
    const buf = this.#buf;
    const o = this.#used;
    buf[o] = channel;
    buf.writeUInt32BE(at, o + 1);
    buf.writeUInt16BE(length, o + 5);
    buf.set(payload, o + FRAME_ENTRY_OVERHEAD);
    this.#used = o + need;
    this.#frames++;
    if (this.#used >= this.#maxBuffered) void this.#flush(false);
  }

  /** Start redacting: later frames are dropped until {@link RecordingWriter.resume}. Idempotent. */
  pause(): void {
    if (this.#closed || this.#paused) return;
    this.#marker(ENTRY_PAUSE);
    this.#paused = true;
  }

  /** Record again. Idempotent. */
  resume(): void {
    if (this.#closed || !this.#paused) return;
    this.#marker(ENTRY_RESUME);
    this.#paused = false;
  }

  /**
   * Record what the caller heard of the recording-consent announcement before this recording began: all of it
   * (`played`) or only part (`interrupted`: an agent answered during it). A marker at the current time, inside
   * the next authenticated chunk; call it right after `open`. Ignored after close.
   */
  markConsentAnnouncement(heard: 'played' | 'interrupted'): void {
    if (this.#closed) return;
    this.#marker(heard === 'played' ? ENTRY_CONSENT_PLAYED : ENTRY_CONSENT_INTERRUPTED);
  }

  get paused(): boolean {
    return this.#paused;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get stats(): RecordingWriterStats {
    return { frames: this.#frames, redacted: this.#redacted, chunks: this.#nextIndex, bytes: this.#fileBytes };
  }

  /**
   * Record the Opus packets `leg` receives as `channel` (telephone-events and other payload types are
   * skipped). Returns the unsubscribe; `close()` unsubscribes every tap too.
   */
  attachToLeg(leg: TappableLeg, channel: RecordingChannel): () => void {
    if (this.#closed) return () => {};
    const off = leg.onRtp((packet) => {
      if (packet.header.payloadType === CANONICAL_PT.opus) this.write(channel, packet.payload);
    });
    const untap = (): void => {
      if (this.#taps.delete(untap)) off();
    };
    this.#taps.add(untap);
    return untap;
  }

  /** Seal the buffer now (a chunk boundary) without waiting for the timer; resolves once it is synced. */
  flush(): Promise<void> {
    if (this.#closed) return this.#appending;
    return this.#flush(false);
  }

  /** Write the final chunk, sync and close. Idempotent; rejects with the write error if writing failed. */
  close(): Promise<RecordingResult> {
    if (!this.#closing) {
      this.#closed = true;
      this.#timer?.cancel();
      for (const untap of [...this.#taps]) untap();
      const durationMs = Math.max(0, this.#clock.now() - this.startedAt);
      this.#closing = (async () => {
        try {
          await this.#flush(true);
        } finally {
          await this.#fh.close().catch(() => {});
          this.#buf = Buffer.alloc(0);
        }
        if (this.#error) throw this.#error;
        return { path: this.path, bytes: this.#fileBytes, durationMs };
      })();
    }
    return this.#closing;
  }

  #at(atMs: number | undefined): number {
    const at = Math.floor(atMs ?? this.#clock.now() - this.startedAt);
    return at < 0 ? 0 : at > MAX_AT_MS ? MAX_AT_MS : at;
  }

  #marker(tag: number): void {
    if (this.#error) return;
    if (this.#used + MARKER_ENTRY_BYTES > this.#buf.length) this.#grow(MARKER_ENTRY_BYTES);
    this.#buf[this.#used] = tag;
    this.#buf.writeUInt32BE(this.#at(undefined), this.#used + 1);
    this.#used += MARKER_ENTRY_BYTES;
  }

  #grow(need: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#used + need));
    this.#buf.copy(bigger, 0, 0, this.#used);
    this.#buf = bigger;
  }

  #armTimer(): void {
    this.#timer = this.#clock.setTimeout(() => {
      if (this.#closed) return;
      void this.#flush(false);
      this.#armTimer();
    }, this.#flushIntervalMs);
  }

  /**
   * Seal the buffered entries as the next chunk and queue its append. Sealing happens now, so the buffer is
   * reused at once; an empty buffer writes nothing unless this is the final chunk.
   */
  #flush(final: boolean): Promise<void> {
    if (this.#error || (this.#used === 0 && !final)) return this.#appending;
    const index = this.#nextIndex++;
    const sealed = this.#cipher.seal(index, final, this.#buf.subarray(0, this.#used));
    this.#used = 0;
    const header = encodeRecordHeader({ final, index, sealedLength: sealed.length });
    const record = Buffer.concat([header, sealed], header.length + sealed.length);
    this.#appending = this.#appending.then(() => this.#append(record));
    return this.#appending;
  }

  async #append(record: Buffer): Promise<void> {
    if (this.#error) return;
    try {
      await writeFully(this.#fh, record, this.#fileBytes);
      this.#fileBytes += record.length;
      await this.#fh.datasync();
    } catch (error) {
      this.#error = RecordingError.io(`write to ${this.path}`, error);
      try {
        this.#onError?.(this.#error);
      } catch {
        // a throwing error listener must not turn into an unhandled rejection on the media path
      }
    }
  }
}

/** Where {@link RecordingWriter} puts recording `recordingId` inside `dir`. */
export function recordingPath(dir: string, recordingId: string): string {
  checkRecordingId(recordingId);
  return join(dir, `${recordingId}${RECORDING_EXTENSION}`);
}

/** Make the new file's directory entry durable too (POSIX; a no-op where directories cannot be opened). */
async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows and some file systems refuse; the file's own datasync still holds.
  } finally {
    await handle?.close().catch(() => {});
  }
}
