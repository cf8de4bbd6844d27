import { KEY_CHECK_BYTES } from './chunk-cipher.js';
import { RecordingError } from './recording-errors.js';

/**
 * The recording file format, version 1. Append-only; all integers big-endian.
 *
 * ```
 * file    = header record*
 * header  = "SMBNGREC" version:u16 headerLength:u16 createdAtMs:u48 keyCheck:8 idLength:u8 id:idLength
 * record  = "SRCK" flags:u8 0:u24 index:u32 sealedLength:u32 sealed:sealedLength
 * sealed  = nonce:12 ciphertext tag:16            (AES-256-GCM, see chunk-cipher.ts)
 * plain   = entry*                                 (the ciphertext's plaintext)
 * entry   = 0x01|0x02 atMs:u32 length:u16 opus:length   (a frame from channel 1 = caller, 2 = agent)
 *         | 0x10|0x11 atMs:u32                           (a pause / resume marker)
 *         | 0x12|0x13 atMs:u32                           (the consent announcement was played in full / cut short)
 * ```
 *
 * The header is plaintext and holds no secrets: what the file is, whose recording, when, and a key check
 * value (not the key). `headerLength` lets a later version append header fields that version 1 readers skip.
 * Record flags: bit 0 = final (written by `close()`; authenticated through the AAD). A record's magic and
 * length let a reader tell an unfinished tail (a crash mid-write) from a complete chunk; `index` is
 * authenticated too, and a reader requires it to equal the record's position. `atMs` is milliseconds since
 * the recording started; the Opus packets are RTP payloads as received (RFC 7587 §4.2), one per entry.
 * The consent markers (0x12/0x13) were added within version 1: they say what the caller heard *before* the
 * recording began, so they sit inside an authenticated chunk (evidence that cannot be edited unnoticed);
 * readers that predate them refuse such a file as `not-a-recording` rather than misread it.
 */
export const FILE_MAGIC = 'SMBNGREC';
export const FORMAT_VERSION = 1;
export const RECORD_MAGIC = 'SRCK';
export const RECORD_HEADER_BYTES = 16;
export const RECORD_FLAG_FINAL = 0x01;
/** Upper bound on one sealed chunk a reader accepts (a chunk is a few seconds of Opus: tens of kB). */
export const MAX_SEALED_BYTES = 64 * 1024 * 1024;
/** File extension of recordings. */
export const RECORDING_EXTENSION = '.srec';

const FIXED_HEADER_BYTES = 8 + 2 + 2 + 6 + KEY_CHECK_BYTES + 1;
/** The longest header a reader accepts (the v1 header is at most 27 + 255 bytes). */
export const MAX_HEADER_BYTES = 4096;

export const ENTRY_CALLER = 0x01;
export const ENTRY_AGENT = 0x02;
export const ENTRY_PAUSE = 0x10;
export const ENTRY_RESUME = 0x11;
export const ENTRY_CONSENT_PLAYED = 0x12;
export const ENTRY_CONSENT_INTERRUPTED = 0x13;
/** Bytes of an entry before its payload: tag, atMs, length. */
export const FRAME_ENTRY_OVERHEAD = 1 + 4 + 2;
export const MARKER_ENTRY_BYTES = 1 + 4;
/** The largest payload one entry carries (u16 length). */
export const MAX_FRAME_PAYLOAD = 0xffff;
/** The latest atMs an entry can hold (u32): about 49.7 days. */
export const MAX_AT_MS = 0xffffffff;

/** 1 = the caller (visitor), 2 = the agent: the WAV's left and right channels. */
export type RecordingChannel = 1 | 2;

export interface RecordingHeader {
  version: number;
  recordingId: string;
  /** When the recording started, in milliseconds since the Unix epoch (the writer's clock). */
  createdAt: number;
  keyCheck: Buffer;
  /** Bytes the header takes at the start of the file (the first record follows). */
  length: number;
}

export interface RecordedFrame {
  channel: RecordingChannel;
  /** Milliseconds since the recording started, when the packet arrived. */
  atMs: number;
  /** One Opus packet (RFC 6716 §3). */
  payload: Buffer;
}

/**
 * A moment in the recording that is not audio: `pause`/`resume` bracket a redacted span; `consent-played` /
 * `consent-interrupted` say the caller heard the recording-consent announcement in full / only in part (an
 * agent answered during it) before the recording began.
 */
export interface RecordingMarker {
  kind: RecordingMarkerKind;
  atMs: number;
}

export type RecordingMarkerKind = 'pause' | 'resume' | 'consent-played' | 'consent-interrupted';

/** Entry tag of each marker kind. */
const MARKER_TAGS: Readonly<Record<RecordingMarkerKind, number>> = {
  pause: ENTRY_PAUSE,
  resume: ENTRY_RESUME,
  'consent-played': ENTRY_CONSENT_PLAYED,
  'consent-interrupted': ENTRY_CONSENT_INTERRUPTED,
};

const MARKER_KINDS = new Map<number, RecordingMarkerKind>(
  (Object.entries(MARKER_TAGS) as [RecordingMarkerKind, number][]).map(([kind, tag]) => [tag, kind]),
);

export interface RecordHeader {
  final: boolean;
  index: number;
  sealedLength: number;
}

const RECORDING_ID = /^(?!\.)[A-Za-z0-9._-]{1,128}$/;

/** Recording ids name files: letters, digits, `.`, `_`, `-`, not starting with a dot (UUIDs qualify). */
export function checkRecordingId(id: string): void {
  if (typeof id !== 'string' || !RECORDING_ID.test(id)) throw RecordingError.invalidId(String(id));
}

export function encodeFileHeader(recordingId: string, createdAt: number, keyCheck: Buffer): Buffer {
  checkRecordingId(recordingId);
  const id = Buffer.from(recordingId, 'latin1');
  const out = Buffer.alloc(FIXED_HEADER_BYTES + id.length);
  out.write(FILE_MAGIC, 0, 'latin1');
  out.writeUInt16BE(FORMAT_VERSION, 8);
  out.writeUInt16BE(out.length, 10);
  out.writeUIntBE(Math.max(0, Math.floor(createdAt)), 12, 6);
  keyCheck.copy(out, 18, 0, KEY_CHECK_BYTES);
  out[18 + KEY_CHECK_BYTES] = id.length;
  id.copy(out, FIXED_HEADER_BYTES);
  return out;
}

/**
 * Parse a file header from the first bytes of a file (`bytes` may hold more than the header). Returns
 * `undefined` when more bytes are needed; throws `not-a-recording` on anything that is not a v1 header.
 */
export function decodeFileHeader(bytes: Buffer, path: string): RecordingHeader | undefined {
  const bad = (why: string) => RecordingError.notARecording(path, why);
  if (bytes.length < 12) {
    if (bytes.toString('latin1', 0, Math.min(8, bytes.length)) !== FILE_MAGIC.slice(0, Math.min(8, bytes.length))) throw bad('no recording magic');
    return undefined;
  }
  if (bytes.toString('latin1', 0, 8) !== FILE_MAGIC) throw bad('no recording magic');
  const version = bytes.readUInt16BE(8);
  if (version !== FORMAT_VERSION) throw bad(`format version ${version} is not supported`);
  const length = bytes.readUInt16BE(10);
  if (length < FIXED_HEADER_BYTES || length > MAX_HEADER_BYTES) throw bad(`header length ${length} is out of range`);
  if (bytes.length < length) return undefined;
  const idLength = bytes[18 + KEY_CHECK_BYTES]!;
  if (FIXED_HEADER_BYTES + idLength > length) throw bad('recording id runs past the header');
  const recordingId = bytes.toString('latin1', FIXED_HEADER_BYTES, FIXED_HEADER_BYTES + idLength);
  if (!RECORDING_ID.test(recordingId)) throw bad('recording id is malformed');
  return {
    version,
    recordingId,
    createdAt: bytes.readUIntBE(12, 6),
    keyCheck: Buffer.from(bytes.subarray(18, 18 + KEY_CHECK_BYTES)),
    length,
  };
}

export function encodeRecordHeader(record: RecordHeader): Buffer {
  const out = Buffer.alloc(RECORD_HEADER_BYTES);
  out.write(RECORD_MAGIC, 0, 'latin1');
  out[4] = record.final ? RECORD_FLAG_FINAL : 0;
  out.writeUInt32BE(record.index, 8);
  out.writeUInt32BE(record.sealedLength, 12);
  return out;
}

/** A record header, or `undefined` if these 16 bytes are not one (garbage, zeros, a torn write). */
export function decodeRecordHeader(bytes: Buffer): RecordHeader | undefined {
  if (bytes.length < RECORD_HEADER_BYTES || bytes.toString('latin1', 0, 4) !== RECORD_MAGIC) return undefined;
  const flags = bytes[4]!;
  if ((flags & ~RECORD_FLAG_FINAL) !== 0 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) return undefined;
  const sealedLength = bytes.readUInt32BE(12);
  if (sealedLength > MAX_SEALED_BYTES) return undefined;
  return { final: (flags & RECORD_FLAG_FINAL) !== 0, index: bytes.readUInt32BE(8), sealedLength };
}

/**
 * Decode the entries of one authenticated chunk's plaintext, in order. Frame payloads are views into
 * `plain` (no copies). A malformed plaintext inside an authentic chunk means a writer bug or a newer
 * format, so it throws `not-a-recording` rather than guessing.
 */
export function decodeEntries(
  plain: Buffer,
  path: string,
  onFrame: (frame: RecordedFrame) => void,
  onMarker: (marker: RecordingMarker) => void,
): void {
  let at = 0;
  while (at < plain.length) {
    const tag = plain[at]!;
    if (tag === ENTRY_CALLER || tag === ENTRY_AGENT) {
      if (at + FRAME_ENTRY_OVERHEAD > plain.length) break;
      const length = plain.readUInt16BE(at + 5);
      const end = at + FRAME_ENTRY_OVERHEAD + length;
      if (end > plain.length) break;
      onFrame({ channel: tag, atMs: plain.readUInt32BE(at + 1), payload: plain.subarray(at + FRAME_ENTRY_OVERHEAD, end) });
      at = end;
    } else if (MARKER_KINDS.has(tag)) {
      if (at + MARKER_ENTRY_BYTES > plain.length) break;
      onMarker({ kind: MARKER_KINDS.get(tag)!, atMs: plain.readUInt32BE(at + 1) });
      at += MARKER_ENTRY_BYTES;
    } else {
      throw RecordingError.notARecording(path, `unknown entry 0x${tag.toString(16)} in an authentic chunk`);
    }
  }
  if (at !== plain.length) throw RecordingError.notARecording(path, 'an authentic chunk ends inside an entry');
}
