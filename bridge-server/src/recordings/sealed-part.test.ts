import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { SEAL_OVERHEAD } from './chunk-cipher.js';
import { RecordingError, RecordingTamperedError } from './recording-errors.js';
import { RECORD_HEADER_BYTES } from './recording-format.js';
import { RecordingWriter } from './recording-writer.js';
import { sealedPartId, sealedPartLayout } from './sealed-part-format.js';
import { readSealedPart, SealedPartReader } from './sealed-part-reader.js';
import { SealedPartWriter } from './sealed-part-writer.js';
import { OTHER_KEY, TEST_KEY, tempDirs } from './test-fixtures.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

const CHUNK = 100;
const ID = sealedPartId('rec-1', 1);

/** Write `plain` as a sealed part in `writes` pieces of `piece` bytes; `head` laid over at close. */
async function seal(plain: Buffer, opts: { piece?: number; head?: Buffer; partId?: string; path?: string } = {}) {
  const path = opts.path ?? join(await dirs.make(), 'p.wav.enc');
  const writer = await SealedPartWriter.create({ path, key: TEST_KEY, partId: opts.partId ?? ID, createdAt: 1_700_000_000_000, chunkBytes: CHUNK });
  const piece = opts.piece ?? 37;
  for (let at = 0; at < plain.length; at += piece) await writer.write(plain.subarray(at, at + piece));
  const result = await writer.close(opts.head);
  return { path, result };
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of chunks) out.push(Buffer.from(c));
  return Buffer.concat(out);
}

async function readRange(path: string, start?: number, end?: number): Promise<Buffer> {
  const reader = await SealedPartReader.open(path, TEST_KEY);
  try {
    return await collect(reader.read(start, end));
  } finally {
    await reader.close();
  }
}

describe('sealed rendered parts', () => {
  it.each([0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 57])('round-trip %i bytes, with the plaintext size known at open', async (size) => {
    const plain = randomBytes(size);
    const { path, result } = await seal(plain);
    expect(result).toMatchObject({ bytes: size, fileBytes: (await stat(path)).size });
    const reader = await SealedPartReader.open(path, TEST_KEY, { partId: ID });
    expect(reader.size).toBe(size);
    expect(reader.partId).toBe(ID);
    expect(reader.file).toEqual({ bytes: result.fileBytes, modifiedAt: (await stat(path)).mtime });
    expect((await collect(reader.read())).equals(plain)).toBe(true);
    await reader.close();
    expect((await collect(readSealedPart(path, TEST_KEY))).equals(plain)).toBe(true);
  });

  it('never writes the plaintext to disk, and two seals of the same bytes look unrelated', async () => {
    const plain = Buffer.from('RIFF....WAVEfmt '.repeat(40));
    const a = await seal(plain);
    const b = await seal(plain);
    const fileA = await readFile(a.path);
    expect(fileA.includes(Buffer.from('RIFF'))).toBe(false);
    expect(fileA.includes(Buffer.from('WAVEfmt'))).toBe(false);
    expect(fileA.subarray(100).equals((await readFile(b.path)).subarray(100))).toBe(false);
  });

  it('lays a head given at close over the first bytes, in a one-chunk and a many-chunk part', async () => {
    for (const size of [60, 5 * CHUNK + 3]) {
      const plain = randomBytes(size);
      const head = Buffer.from('RIFF-header-known-only-at-the-end');
      const { path } = await seal(plain, { head });
      const expected = Buffer.concat([head, plain.subarray(head.length)]);
      expect((await readRange(path)).equals(expected)).toBe(true);
    }
  });

  it('refuses a head longer than a chunk or than what was written, and writes after close', async () => {
    const dir = await dirs.make();
    const writer = await SealedPartWriter.create({ path: join(dir, 'a'), key: TEST_KEY, partId: ID, createdAt: 0, chunkBytes: CHUNK });
    await writer.write(randomBytes(10));
    await expect(writer.close(Buffer.alloc(11))).rejects.toBeInstanceOf(RangeError);
    await writer.close(Buffer.alloc(10));
    await expect(writer.write(Buffer.alloc(1))).rejects.toBeInstanceOf(RecordingError);
    await expect(SealedPartWriter.create({ path: join(dir, 'b'), key: TEST_KEY, partId: ID, createdAt: 0, chunkBytes: 0 })).rejects.toBeInstanceOf(RangeError);
  });

  it('reads every byte range exactly, across chunk boundaries, decrypting only what it touches', async () => {
    const plain = randomBytes(3 * CHUNK + 41);
    const { path } = await seal(plain);
    const reader = await SealedPartReader.open(path, TEST_KEY);
    try {
      const edges = [0, 1, 57, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK - 1, 2 * CHUNK, 3 * CHUNK, 3 * CHUNK + 40, plain.length];
      for (const start of edges) {
        for (const end of edges) {
          if (end < start) continue;
          const got = await collect(reader.read(start, end));
          expect(got.equals(plain.subarray(start, end)), `bytes ${start}-${end}`).toBe(true);
        }
      }
      // One byte in the middle chunk: exactly one piece comes back.
      const pieces: Uint8Array[] = [];
      for await (const p of reader.read(CHUNK + 5, CHUNK + 6)) pieces.push(p);
      expect(pieces).toHaveLength(1);
      await expect(collect(reader.read(0, plain.length + 1))).rejects.toBeInstanceOf(RangeError);
      await expect(collect(reader.read(5, 4))).rejects.toBeInstanceOf(RangeError);
      await expect(collect(reader.read(-1))).rejects.toBeInstanceOf(RangeError);
    } finally {
      await reader.close();
    }
  });

  it('finds a flipped bit in any chunk when that chunk is read, and in the final chunk already at open', async () => {
    const plain = randomBytes(3 * CHUNK + 10);
    const { path } = await seal(plain);
    const good = await readFile(path);
    const record = RECORD_HEADER_BYTES + SEAL_OVERHEAD + CHUNK;
    const headerBytes = good.length - 3 * record - (RECORD_HEADER_BYTES + SEAL_OVERHEAD + 10);
    for (const chunk of [0, 1, 2, 3]) {
      const bad = Buffer.from(good);
      bad[headerBytes + chunk * record + RECORD_HEADER_BYTES + 20]! ^= 0x04;
      await writeFile(path, bad);
      if (chunk === 3) {
        await expect(SealedPartReader.open(path, TEST_KEY)).rejects.toBeInstanceOf(RecordingTamperedError);
        continue;
      }
      const reader = await SealedPartReader.open(path, TEST_KEY);
      expect((await collect(reader.read(chunk === 2 ? 0 : 2 * CHUNK, chunk === 2 ? 2 * CHUNK : plain.length))).length).toBeGreaterThan(0);
      const error = await collect(reader.read()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RecordingTamperedError);
      expect((error as RecordingTamperedError).position).toBe(chunk);
      await reader.close();
    }
  });

  it('refuses reordered chunks, a truncated or padded file, and a final flag moved to another chunk', async () => {
    const plain = randomBytes(3 * CHUNK + 10);
    const { path } = await seal(plain);
    const good = await readFile(path);
    const record = RECORD_HEADER_BYTES + SEAL_OVERHEAD + CHUNK;
    const headerBytes = good.length - 3 * record - (RECORD_HEADER_BYTES + SEAL_OVERHEAD + 10);
    const at = (i: number) => headerBytes + i * record;

    const swapped = Buffer.concat([good.subarray(0, at(1)), good.subarray(at(2), at(3)), good.subarray(at(1), at(2)), good.subarray(at(3))]);
    await writeFile(path, swapped);
    await expect(readRange(path)).rejects.toBeInstanceOf(RecordingTamperedError);

    for (const cut of [good.subarray(0, good.length - 1), good.subarray(0, at(3)), Buffer.concat([good, Buffer.alloc(7)])]) {
      await writeFile(path, cut);
      await expect(readRange(path)).rejects.toBeInstanceOf(RecordingTamperedError);
    }

    const flagged = Buffer.from(good);
    flagged[at(1) + 4] = 1; // chunk 1 claims to be final
    await writeFile(path, flagged);
    await expect(readRange(path)).rejects.toBeInstanceOf(RecordingTamperedError);
  });

  it('refuses another part under this part\u2019s name, the wrong key, a call recording and a non-recording', async () => {
    const dir = await dirs.make();
    const other = await seal(randomBytes(50), { partId: sealedPartId('rec-1', 2), path: join(dir, 'p2.wav.enc') });
    const error = await SealedPartReader.open(other.path, TEST_KEY, { partId: ID }).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'not-a-recording' });
    await expect(SealedPartReader.open(other.path, OTHER_KEY)).rejects.toMatchObject({ reason: 'wrong-key' });

    const writer = await RecordingWriter.open({ dir, recordingId: 'rec-1', key: TEST_KEY, clock: new ManualClock() });
    await writer.close();
    await expect(SealedPartReader.open(writer.path, TEST_KEY)).rejects.toMatchObject({ reason: 'not-a-recording', message: expect.stringContaining('call recording') });

    await writeFile(join(dir, 'plain.wav'), 'RIFF\0\0\0\0WAVE');
    await expect(SealedPartReader.open(join(dir, 'plain.wav'), TEST_KEY)).rejects.toMatchObject({ reason: 'not-a-recording' });
    await expect(SealedPartReader.open(join(dir, 'missing'), TEST_KEY)).rejects.toMatchObject({ reason: 'io' });
  });

  it('closes the file when a whole-part stream is abandoned half-way, and reads no more after close', async () => {
    const { path } = await seal(randomBytes(4 * CHUNK));
    for await (const piece of readSealedPart(path, TEST_KEY)) {
      expect(piece.length).toBe(CHUNK);
      break;
    }
    const reader = await SealedPartReader.open(path, TEST_KEY);
    await reader.close();
    await reader.close();
    await expect(collect(reader.read(0, 10))).rejects.toMatchObject({ reason: 'io' });
  });

  it('deletes the file on abort', async () => {
    const dir = await dirs.make();
    const writer = await SealedPartWriter.create({ path: join(dir, 'x.enc'), key: TEST_KEY, partId: ID, createdAt: 0, chunkBytes: CHUNK });
    await writer.write(randomBytes(3 * CHUNK));
    await writer.abort();
    await writer.abort();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('sealedPartLayout', () => {
  const h = 60;
  const rec = (n: number) => RECORD_HEADER_BYTES + SEAL_OVERHEAD + n;

  it('works out the chunks from the file size and the first record', () => {
    expect(sealedPartLayout(h + rec(0), h, { sealedLength: SEAL_OVERHEAD, final: true })).toMatchObject({ chunks: 1, plainBytes: 0 });
    expect(sealedPartLayout(h + 2 * rec(CHUNK), h, { sealedLength: SEAL_OVERHEAD + CHUNK, final: false })).toMatchObject({
      chunks: 2,
      lastChunkBytes: CHUNK,
      plainBytes: 2 * CHUNK,
    });
    expect(sealedPartLayout(h + 2 * rec(CHUNK) + rec(0), h, { sealedLength: SEAL_OVERHEAD + CHUNK, final: false })).toMatchObject({
      chunks: 3,
      lastChunkBytes: 0,
      plainBytes: 2 * CHUNK,
    });
  });

  it('says why a size fits no layout', () => {
    expect(typeof sealedPartLayout(h + rec(CHUNK) + 10, h, { sealedLength: SEAL_OVERHEAD + CHUNK, final: false })).toBe('string');
    expect(typeof sealedPartLayout(h + rec(CHUNK), h, { sealedLength: SEAL_OVERHEAD + CHUNK, final: false })).toBe('string');
    expect(typeof sealedPartLayout(h + rec(5) + 1, h, { sealedLength: SEAL_OVERHEAD + 5, final: true })).toBe('string');
    expect(typeof sealedPartLayout(h + rec(0) * 2, h, { sealedLength: SEAL_OVERHEAD, final: false })).toBe('string');
    expect(typeof sealedPartLayout(h + 40, h, { sealedLength: 3, final: true })).toBe('string');
  });

  it('names parts after their recording and refuses a bad index', () => {
    expect(sealedPartId('7c1e', 12)).toBe('7c1e.part-12');
    expect(() => sealedPartId('7c1e', 0)).toThrow(RangeError);
    expect(() => sealedPartId('../x', 1)).toThrow(RecordingError);
  });
});
