import { createCipheriv, createDecipheriv, createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { RecordingTamperedError } from './recording-errors.js';
import type { RecordingKey } from './recording-key.js';

export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
/** Bytes a sealed chunk adds to its plaintext: the nonce in front, the tag behind. */
export const SEAL_OVERHEAD = NONCE_BYTES + TAG_BYTES;
/** Bytes of the non-secret key check value stored in a recording's header. */
export const KEY_CHECK_BYTES = 8;

/**
 * What the chunks hold: a call `recording` (Opus entries, recording-format.ts) or a `rendered-part` (the bytes
 * of a WAV part, sealed-part-format.ts). Each purpose has its own HKDF labels and AAD label (domain separation),
 * so a chunk sealed for one can never authenticate as the other, whatever the ids.
 */
export type ChunkPurpose = 'recording' | 'rendered-part';

const LABELS: Readonly<Record<ChunkPurpose, { key: string; check: string; aad: string }>> = {
  recording: {
    key: 'sambung recording chunk key v1\0',
    check: 'sambung recording key check v1\0',
    aad: 'sambung recording chunk v1\0',
  },
  'rendered-part': {
    key: 'sambung rendered part chunk key v1\0',
    check: 'sambung rendered part key check v1\0',
    aad: 'sambung rendered part chunk v1\0',
  },
};

/**
 * AES-256-GCM (NIST SP 800-38D) for the chunks of one recording.
 *
 * - **Per-recording key.** Chunks are not encrypted under the configured master key itself but under a key
 *   derived for this recording (HKDF-SHA256, RFC 5869, info = label + recording id). GCM with random 96-bit
 *   nonces is safe for about 2^32 encryptions per key (SP 800-38D §8.3); deriving per recording makes that a
 *   per-recording budget (a recording has a few thousand chunks) instead of one shared by every call the
 *   bridge will ever record.
 * - **Fresh random 12-byte nonce per chunk**, stored in front of the ciphertext; the 16-byte tag behind it.
 * - **AAD binds the recording id, the chunk index and the "final" flag**, so a chunk cannot be reordered,
 *   moved into another recording, or passed off as the last one (truncation after it would go unnoticed).
 *   The recording id is bound twice over (key derivation and AAD), as asked and harmless.
 * - **Key check.** {@link ChunkCipher.keyCheck} is another HKDF output of the same derivation, stored in the
 *   clear in the file header, so a reader holding the wrong key says "wrong key" instead of "tampered". It
 *   reveals nothing about the chunk key (independent HKDF output).
 * - **Purpose.** The same construction seals rendered WAV parts under their own labels ({@link ChunkPurpose}).
 */
export class ChunkCipher {
  readonly recordingId: string;
  readonly purpose: ChunkPurpose;
  /** {@link KEY_CHECK_BYTES} bytes identifying (master key, recording id, purpose) without revealing either key. */
  readonly keyCheck: Buffer;
  readonly #key: KeyObject;
  readonly #idBytes: Buffer;
  readonly #aadLabel: string;

  /** @param recordingId the id bound into every chunk: a recording's id, or a rendered part's (`<recording id>.part-<n>`). */
  constructor(masterKey: RecordingKey, recordingId: string, purpose: ChunkPurpose = 'recording') {
    const labels = LABELS[purpose];
    this.recordingId = recordingId;
    this.purpose = purpose;
    this.#key = createSecretKey(Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), labels.key + recordingId, 32)));
    this.keyCheck = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), labels.check + recordingId, KEY_CHECK_BYTES));
    this.#idBytes = Buffer.from(recordingId, 'utf8');
    this.#aadLabel = labels.aad;
  }

  /** Encrypt chunk `index` of this recording: returns nonce ‖ ciphertext ‖ tag. */
  seal(index: number, final: boolean, plaintext: Uint8Array): Buffer {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(this.#aad(index, final));
    const body = cipher.update(plaintext);
    const tail = cipher.final();
    return Buffer.concat([nonce, body, tail, cipher.getAuthTag()], NONCE_BYTES + body.length + tail.length + TAG_BYTES);
  }

  /**
   * Decrypt and authenticate a sealed chunk as chunk `index` (with its `final` flag) of this recording.
   * Throws a {@link RecordingTamperedError} if any byte of it changed, or if it was sealed as another
   * index, another recording, with another final flag, or under another key.
   */
  open(index: number, final: boolean, sealed: Uint8Array): Buffer {
    if (sealed.length < SEAL_OVERHEAD) throw RecordingTamperedError.chunk(this.recordingId, index, 'is shorter than a nonce and a tag');
    const view = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, view.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(this.#aad(index, final));
    decipher.setAuthTag(view.subarray(view.length - TAG_BYTES));
    try {
      const body = decipher.update(view.subarray(NONCE_BYTES, view.length - TAG_BYTES));
      const tail = decipher.final();
      return tail.length === 0 ? body : Buffer.concat([body, tail]);
    } catch (error) {
      throw RecordingTamperedError.chunk(this.recordingId, index, 'failed authentication', error);
    }
  }

  /** label ‖ recording id ‖ 0x00 ‖ index (u32 BE) ‖ final (u8). */
  #aad(index: number, final: boolean): Buffer {
    const label = this.#aadLabel.length;
    const aad = Buffer.allocUnsafe(label + this.#idBytes.length + 1 + 5);
    aad.write(this.#aadLabel, 0, 'latin1');
    this.#idBytes.copy(aad, label);
    let at = label + this.#idBytes.length;
    aad[at++] = 0;
    aad.writeUInt32BE(index, at);
    aad[at + 4] = final ? 1 : 0;
    return aad;
  }
}
