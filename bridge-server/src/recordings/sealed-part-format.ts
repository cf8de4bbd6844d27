import { SEAL_OVERHEAD } from './chunk-cipher.js';
import { checkRecordingId, MAX_SEALED_BYTES, RECORD_HEADER_BYTES } from './recording-format.js';

/**
 * Rendered WAV parts, encrypted at rest. They reuse the recording container (recording-format.ts) unchanged —
 * the same plaintext file header and `SRCK` records of AES-256-GCM chunks — sealed by `ChunkCipher` with the
 * purpose `rendered-part` under the part's own id `<recording id>.part-<n>` (so a part's chunks cannot be moved
 * into another part, the recording, or another recording). Two things differ from a recording:
 *
 * - A chunk's plaintext is a run of the part's bytes (the WAV file, header included), not Opus entries.
 * - Every chunk but the last holds exactly `chunkBytes` of plaintext; the last (flagged final) holds 0 to
 *   `chunkBytes`. `chunkBytes` is not written anywhere: it is the first record's sealed length less the seal
 *   overhead, and every other chunk's size follows from it, so any change to it breaks authentication.
 *
 * Fixed-size chunks make random access arithmetic: plaintext byte `p` is in chunk `⌊p / chunkBytes⌋`, whose
 * record starts at `header + index × (16 + 28 + chunkBytes)`. An HTTP Range request decrypts only the chunks
 * it touches, and the plaintext size follows from the file size and is authenticated by the final chunk.
 * A part is written whole under a temporary name and renamed, so unlike a recording it has no crash tail:
 * any damage is an error.
 */

/** 64 KiB: a Range request for a few bytes decrypts at most two such chunks; overhead 44 bytes per chunk (0.07 %). */
export const DEFAULT_PART_CHUNK_BYTES = 64 * 1024;
/** Largest chunk a writer accepts (a reader's limit on a record is the container's). */
export const MAX_PART_CHUNK_BYTES = MAX_SEALED_BYTES - SEAL_OVERHEAD;
/** File extension of an encrypted WAV part: `<id>.part-01-of-03.wav.enc`. */
export const SEALED_PART_EXTENSION = '.enc';

/** The id a part's chunks are bound to: `<recording id>.part-<index>` (1-based, not padded). */
export function sealedPartId(recordingId: string, index: number): string {
  if (!Number.isInteger(index) || index < 1) throw new RangeError(`part index must be a positive integer, not ${index}`);
  const id = `${recordingId}.part-${index}`;
  checkRecordingId(id);
  return id;
}

/** Where the records of one sealed part lie, and how much plaintext they hold. */
export interface SealedPartLayout {
  /** Bytes of the file header (the first record follows). */
  headerBytes: number;
  /** Plaintext bytes of every chunk but the last. */
  chunkBytes: number;
  /** Number of chunks (at least one: the final chunk). */
  chunks: number;
  /** Plaintext bytes of the last chunk (0 … chunkBytes). */
  lastChunkBytes: number;
  /** Plaintext bytes of the whole part. */
  plainBytes: number;
}

/** Bytes one record of `plainBytes` plaintext takes in the file. */
export function recordBytes(plainBytes: number): number {
  return RECORD_HEADER_BYTES + SEAL_OVERHEAD + plainBytes;
}

/** File offset of chunk `index`'s record. */
export function recordOffset(layout: Pick<SealedPartLayout, 'headerBytes' | 'chunkBytes'>, index: number): number {
  return layout.headerBytes + index * recordBytes(layout.chunkBytes);
}

/**
 * The layout a file of `fileBytes` must have, given its header length and its first record (its sealed length
 * and final flag), or why no layout fits (a truncated or padded file).
 */
export function sealedPartLayout(fileBytes: number, headerBytes: number, first: { sealedLength: number; final: boolean }): SealedPartLayout | string {
  const chunkBytes = first.sealedLength - SEAL_OVERHEAD;
  if (chunkBytes < 0) return 'the first chunk is shorter than a nonce and a tag';
  const body = fileBytes - headerBytes;
  if (first.final) {
    if (body !== recordBytes(chunkBytes)) return 'bytes follow the final chunk';
    return { headerBytes, chunkBytes, chunks: 1, lastChunkBytes: chunkBytes, plainBytes: chunkBytes };
  }
  if (chunkBytes === 0) return 'a chunk before the final one is empty';
  const full = recordBytes(chunkBytes);
  // Every chunk but the last is `full` bytes long, the last between an empty and a full record.
  const chunks = Math.floor((body - recordBytes(0)) / full) + 1;
  const lastRecord = body - (chunks - 1) * full;
  if (chunks < 2 || lastRecord < recordBytes(0) || lastRecord > full) {
    return `the file size ${fileBytes} fits no sequence of ${chunkBytes}-byte chunks`;
  }
  const lastChunkBytes = lastRecord - recordBytes(0);
  return { headerBytes, chunkBytes, chunks, lastChunkBytes, plainBytes: (chunks - 1) * chunkBytes + lastChunkBytes };
}
