import { hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChunkCipher, SEAL_OVERHEAD } from './chunk-cipher.js';
import { RecordingTamperedError } from './recording-errors.js';
import { OTHER_KEY, TEST_KEY } from './test-fixtures.js';

const plain = Buffer.from('caller said: my order number is 4711');

function expectTampered(fn: () => unknown): void {
  expect(fn).toThrow(RecordingTamperedError);
}

describe('ChunkCipher (AES-256-GCM per chunk)', () => {
  it('round-trips a chunk, with a fresh nonce each time so equal chunks never look equal', () => {
    const cipher = new ChunkCipher(TEST_KEY, 'rec-a');
    const a = cipher.seal(0, false, plain);
    const b = cipher.seal(0, false, plain);
    expect(a.length).toBe(plain.length + SEAL_OVERHEAD);
    expect(a.subarray(0, 12).equals(b.subarray(0, 12))).toBe(false);
    expect(a.equals(b)).toBe(false);
    expect(cipher.open(0, false, a).equals(plain)).toBe(true);
    expect(new ChunkCipher(TEST_KEY, 'rec-a').open(0, false, b).equals(plain)).toBe(true);
    expect(cipher.open(3, true, cipher.seal(3, true, Buffer.alloc(0)))).toHaveLength(0);
  });

  it('detects a flipped bit anywhere in the nonce, the ciphertext or the tag', () => {
    const cipher = new ChunkCipher(TEST_KEY, 'rec-a');
    const sealed = cipher.seal(1, false, plain);
    for (let i = 0; i < sealed.length; i++) {
      const bad = Buffer.from(sealed);
      bad[i]! ^= 0x01;
      expectTampered(() => cipher.open(1, false, bad));
    }
    expectTampered(() => cipher.open(1, false, sealed.subarray(0, SEAL_OVERHEAD - 1)));
    expectTampered(() => cipher.open(1, false, sealed.subarray(0, sealed.length - 1)));
  });

  it('refuses a chunk opened as another index, with another final flag, in another recording or under another key', () => {
    const sealed = new ChunkCipher(TEST_KEY, 'rec-a').seal(2, false, plain);
    expectTampered(() => new ChunkCipher(TEST_KEY, 'rec-a').open(1, false, sealed));
    expectTampered(() => new ChunkCipher(TEST_KEY, 'rec-a').open(2, true, sealed));
    expectTampered(() => new ChunkCipher(TEST_KEY, 'rec-b').open(2, false, sealed));
    expectTampered(() => new ChunkCipher(OTHER_KEY, 'rec-a').open(2, false, sealed));
  });

  it('gives a key check value that matches only the same key and recording, and is not the key', () => {
    const check = new ChunkCipher(TEST_KEY, 'rec-a').keyCheck;
    expect(check).toHaveLength(8);
    expect(new ChunkCipher(TEST_KEY, 'rec-a').keyCheck.equals(check)).toBe(true);
    expect(new ChunkCipher(OTHER_KEY, 'rec-a').keyCheck.equals(check)).toBe(false);
    expect(new ChunkCipher(TEST_KEY, 'rec-b').keyCheck.equals(check)).toBe(false);
    expect(TEST_KEY.export().includes(check)).toBe(false);
  });

  it('keeps sealed rendered parts and recordings apart: a chunk of one never opens as the other', () => {
    const recording = new ChunkCipher(TEST_KEY, 'rec-a');
    const part = new ChunkCipher(TEST_KEY, 'rec-a', 'rendered-part');
    expect(part.purpose).toBe('rendered-part');
    expect(part.keyCheck.equals(recording.keyCheck)).toBe(false);
    expectTampered(() => part.open(0, false, recording.seal(0, false, plain)));
    expectTampered(() => recording.open(0, true, part.seal(0, true, plain)));
    expect(part.open(4, true, part.seal(4, true, plain)).equals(plain)).toBe(true);
  });

  it('derives recordings’ keys exactly as before purposes existed, so older recordings stay readable', () => {
    const legacyCheck = Buffer.from(hkdfSync('sha256', TEST_KEY, Buffer.alloc(0), 'sambung recording key check v1\0rec-a', 8));
    expect(new ChunkCipher(TEST_KEY, 'rec-a').keyCheck.equals(legacyCheck)).toBe(true);
  });
});
