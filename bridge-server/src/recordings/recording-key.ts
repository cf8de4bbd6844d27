import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { RecordingError } from './recording-errors.js';

/** AES-256 wants exactly 32 bytes of key. */
export const RECORDING_KEY_BYTES = 32;

/**
 * The master key recordings are encrypted under. A KeyObject rather than a Buffer so the bytes never show up
 * in a log line or an error's `detail` by accident (`util.inspect` prints `SecretKeyObject { type: 'secret' }`).
 */
export type RecordingKey = KeyObject;

const HEX = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]{43}={0,1}$/;

/**
 * Parse the configured recording key: 32 bytes written as 64 hex digits or as base64 (standard or URL-safe
 * alphabet, padding optional). Surrounding white space is ignored (a key pasted into an env file with a
 * trailing newline still works). Throws a `RecordingError` (`reason: 'invalid-key'`, code `CONFIG_INVALID`)
 * that never quotes the text, since the text may be most of a real key.
 */
export function parseRecordingKey(text: string): RecordingKey {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  if (trimmed === '') throw RecordingError.invalidKey('it is empty');
  let bytes: Buffer;
  if (HEX.test(trimmed)) bytes = Buffer.from(trimmed, 'hex');
  else if (BASE64.test(trimmed)) bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  else throw RecordingError.invalidKey(`${trimmed.length} characters that are neither 64 hex digits nor 44 base64 characters`);
  if (bytes.length !== RECORDING_KEY_BYTES) throw RecordingError.invalidKey(`it decodes to ${bytes.length} bytes`);
  const key = createSecretKey(bytes);
  bytes.fill(0);
  return key;
}

/**
 * A fresh random key for development, where running without configuration must work. `text` is its base64
 * form, for the warning that tells the developer how to keep it (recordings made under a generated key are
 * unreadable after a restart that generates another).
 */
export function generateRecordingKey(): { key: RecordingKey; text: string } {
  const bytes = randomBytes(RECORDING_KEY_BYTES);
  const text = bytes.toString('base64');
  const key = createSecretKey(bytes);
  bytes.fill(0);
  return { key, text };
}
