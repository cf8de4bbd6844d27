import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { RecordingError } from './recording-errors.js';
import { generateRecordingKey, parseRecordingKey } from './recording-key.js';

const BYTES = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff));

describe('recording key', () => {
  it('reads the same 32 bytes from hex, base64, URL-safe base64 and unpadded base64, ignoring surrounding white space', () => {
    const forms = [
      BYTES.toString('hex'),
      BYTES.toString('hex').toUpperCase(),
      BYTES.toString('base64'),
      BYTES.toString('base64url'),
      BYTES.toString('base64').replace(/=$/, ''),
      `  ${BYTES.toString('base64')}\n`,
    ];
    for (const text of forms) expect(parseRecordingKey(text).export().equals(BYTES), text).toBe(true);
  });

  it('refuses text that is not exactly 32 bytes of hex or base64, without quoting the text', () => {
    const secretish = BYTES.toString('hex').slice(0, 62);
    for (const text of ['', '   ', secretish, BYTES.toString('hex') + '00', Buffer.alloc(31).toString('base64'), Buffer.alloc(33).toString('base64'), 'z'.repeat(64)]) {
      let caught: unknown;
      try {
        parseRecordingKey(text);
      } catch (error) {
        caught = error;
      }
      expect(caught, JSON.stringify(text)).toBeInstanceOf(RecordingError);
      expect((caught as RecordingError).reason).toBe('invalid-key');
      expect((caught as RecordingError).code).toBe('CONFIG_INVALID');
      if (text.trim()) expect((caught as RecordingError).message).not.toContain(text.trim());
    }
  });

  it('generates a random key whose text parses back to it, and never shows key bytes when logged', () => {
    const a = generateRecordingKey();
    const b = generateRecordingKey();
    expect(parseRecordingKey(a.text).export().equals(a.key.export())).toBe(true);
    expect(a.key.export().equals(b.key.export())).toBe(false);
    expect(inspect(a.key)).not.toContain(a.key.export().toString('hex').slice(0, 8));
  });
});
