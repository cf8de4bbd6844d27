/**
 * Seals CRM credentials at rest: AES-256-GCM with a random 96-bit IV, the tenant id as additional authenticated
 * data (a sealed secret copied to another tenant's row does not open), and a version prefix so the format can
 * change. `v1.<base64url(iv ‖ tag ‖ ciphertext)>`.
 *
 * The key is derived with HKDF-SHA-256 from the master key (`RECORDING_KEY`, required in production) under its
 * own label, so it is never the key recordings are encrypted with.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const LABEL = 'sambung/crm-credentials/v1';

export class SecretBox {
  readonly #key: Buffer;

  constructor(master: KeyObject) {
    this.#key = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), LABEL, 32));
  }

  seal(tenantId: string, plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(tenantId, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /** The plaintext, or null when `sealed` is not ours, was tampered with, or belongs to another tenant. */
  open(tenantId: string, sealed: string): string | null {
    const [version, data] = sealed.split('.');
    if (version !== VERSION || !data) return null;
    const bytes = Buffer.from(data, 'base64url');
    if (bytes.length < IV_BYTES + TAG_BYTES) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(tenantId, 'utf8'));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}
