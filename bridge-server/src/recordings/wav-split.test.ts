import { afterEach, describe, expect, it } from 'vitest';
import { open, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readWavInfo, wavHeader } from './wav-format.js';
import { splitWav } from './wav-split.js';
import { tempDirs } from './test-fixtures.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

/** A stereo 16-bit WAV of `frames` sample frames whose every sample differs from its neighbours. */
async function makeWav(dir: string, frames: number, extraChunk?: Buffer): Promise<{ path: string; pcm: Buffer }> {
  const pcm = Buffer.alloc(frames * 4);
  for (let i = 0; i < frames * 2; i++) pcm.writeInt16LE(((i * 7919) % 65536) - 32768, i * 2);
  const header = wavHeader({ channels: 2, sampleRate: 16000, bitsPerSample: 16 }, pcm.length);
  let file = Buffer.concat([header, pcm]);
  if (extraChunk) {
    // RIFF, WAVE, fmt as usual, then a LIST chunk before data (what many editors write).
    file = Buffer.concat([header.subarray(0, 36), extraChunk, header.subarray(36), pcm]);
    file.writeUInt32LE(file.length - 8, 4);
  }
  const path = join(dir, 'call-1.wav');
  await writeFile(path, file);
  return { path, pcm };
}

async function info(path: string) {
  const fh = await open(path, 'r');
  try {
    return await readWavInfo(fh, path);
  } finally {
    await fh.close();
  }
}

describe('splitWav', () => {
  it('cuts a WAV into ordered parts no larger than maxBytes, each a valid WAV, whose PCM concatenates to the original', async () => {
    const dir = await dirs.make();
    const { path, pcm } = await makeWav(dir, 10_000); // 40,044 bytes
    const parts = await splitWav(path, { maxBytes: 15_001 });

    expect(parts.map((p) => p.path)).toEqual([1, 2, 3].map((n) => join(dir, `call-1.part-0${n}-of-03.wav`)));
    const pieces: Buffer[] = [];
    for (const part of parts) {
      const size = (await stat(part.path)).size;
      expect(size).toBe(part.bytes);
      expect(size).toBeLessThanOrEqual(15_001);
      const wav = await info(part.path);
      expect(wav).toMatchObject({ channels: 2, sampleRate: 16000, bitsPerSample: 16, blockAlign: 4, dataOffset: 44, dataBytes: size - 44 });
      expect(wav.dataBytes % 4).toBe(0);
      const bytes = await readFile(part.path);
      expect(bytes.readUInt32LE(4)).toBe(size - 8);
      pieces.push(bytes.subarray(44));
    }
    expect(Buffer.concat(pieces).equals(pcm)).toBe(true);
    expect(parts.map((p) => p.index)).toEqual([1, 2, 3]);
    expect(parts.every((p) => p.count === 3)).toBe(true);
    expect(parts.reduce((sum, p) => sum + p.durationSec, 0)).toBeCloseTo(10_000 / 16000, 10);
    expect(parts.map((p) => p.startSec)).toEqual([0, parts[0]!.durationSec, parts[0]!.durationSec * 2]);
    expect((await readdir(dir)).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('writes a single part when the file already fits, and leaves the source as it was', async () => {
    const dir = await dirs.make();
    const { path } = await makeWav(dir, 100);
    const before = await readFile(path);
    const parts = await splitWav(path);
    expect(parts).toHaveLength(1);
    expect(parts[0]!.path).toBe(join(dir, 'call-1.part-01-of-01.wav'));
    expect((await readFile(parts[0]!.path)).equals(before)).toBe(true);
    expect((await readFile(path)).equals(before)).toBe(true);
  });

  it('reads past other RIFF chunks to find the data, and writes the parts to another folder when asked', async () => {
    const dir = await dirs.make();
    const out = await dirs.make();
    const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([5, 0, 0, 0]), Buffer.from('INFOx'), Buffer.from([0])]); // odd size: padded
    const { path, pcm } = await makeWav(dir, 1000, list);
    const parts = await splitWav(path, { maxBytes: 2044, outDir: out });
    expect(parts).toHaveLength(2);
    expect(parts.every((p) => p.path.startsWith(out))).toBe(true);
    const joined = Buffer.concat(await Promise.all(parts.map(async (p) => (await readFile(p.path)).subarray(44))));
    expect(joined.equals(pcm)).toBe(true);
  });

  it('refuses a maxBytes with no room for a sample frame, and files that are not PCM WAV', async () => {
    const dir = await dirs.make();
    const { path } = await makeWav(dir, 10);
    await expect(splitWav(path, { maxBytes: 47 })).rejects.toBeInstanceOf(RangeError);
    const bogus = join(dir, 'bogus.wav');
    await writeFile(bogus, 'not a wav at all');
    await expect(splitWav(bogus)).rejects.toMatchObject({ reason: 'invalid-wav' });
  });
});
