import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { RecordingTamperedError } from './recording-errors.js';
import { RecordingWriter } from './recording-writer.js';
import { readSealedPart } from './sealed-part-reader.js';
import { renderSealedWavParts, SealedWavParts } from './sealed-wav-parts.js';
import { holdPackets, recordSpans, SILENT_PACKET, TEST_KEY, tempDirs } from './test-fixtures.js';
import { renderRecordingWav } from './wav-render.js';
import { splitWav } from './wav-split.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

/** Three seconds of the caller talking (hold music) and the agent silent; optional consent marker. */
async function record(consent?: 'played' | 'interrupted') {
  const dir = await dirs.make();
  const clock = new ManualClock();
  const writer = await RecordingWriter.open({ dir, recordingId: 'call-1', key: TEST_KEY, clock, flushIntervalMs: 1000 });
  if (consent) writer.markConsentAnnouncement(consent);
  const hold = await holdPackets();
  for (let tick = 0; tick < 150; tick++) {
    writer.write(1, hold[tick]!);
    writer.write(2, SILENT_PACKET);
    clock.advance(20);
  }
  await writer.close();
  return { dir, path: writer.path };
}

async function plaintextOf(path: string): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of readSealedPart(path, TEST_KEY)) out.push(Buffer.from(c));
  return Buffer.concat(out);
}

/** Every file under `dir` that holds a RIFF/WAVE header anywhere: plaintext audio at rest. */
async function plaintextWavs(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of await readdir(dir)) {
    const bytes = await readFile(join(dir, name));
    if (bytes.includes(Buffer.from('RIFF')) || bytes.includes(Buffer.from('WAVEfmt'))) found.push(name);
  }
  return found;
}

describe('renderSealedWavParts', () => {
  it('writes the same WAV parts as render-then-split, byte for byte, but only encrypted', async () => {
    const { dir, path } = await record();
    const maxPartBytes = 40_000; // three seconds at 16 kHz stereo are 192 kB: five parts
    const sealed = await renderSealedWavParts({ source: path, key: TEST_KEY, recordingId: 'call-1', dir, maxPartBytes, createdAt: 0, chunkBytes: 4096 });
    expect(await plaintextWavs(dir)).toEqual([]);

    const plainDir = await dirs.make();
    const wav = await renderRecordingWav({ source: path, key: TEST_KEY, outPath: join(plainDir, 'call-1.wav') });
    const expected = await splitWav(wav.path, { maxBytes: maxPartBytes });

    expect(sealed.parts.length).toBe(expected.length);
    expect(sealed.parts.length).toBeGreaterThan(3);
    expect(sealed).toMatchObject({ intact: true, durationSec: wav.durationSec, bytes: expected.reduce((n, p) => n + p.bytes, 0) });
    for (const [i, part] of sealed.parts.entries()) {
      const want = expected[i]!;
      expect(part).toMatchObject({ index: want.index, count: want.count, bytes: want.bytes, durationSec: want.durationSec, startSec: want.startSec });
      expect(part.path).toBe(join(dir, `call-1.part-0${i + 1}-of-0${expected.length}.wav.enc`));
      const plain = await plaintextOf(part.path);
      expect(plain.equals(await readFile(want.path)), `part ${part.index}`).toBe(true);
    }
    expect((await readdir(dir)).filter((n) => n.endsWith('.partial'))).toEqual([]);
  });

  it('writes one header-only part for a recording without audio, and reports the consent marker', async () => {
    const dir = await dirs.make();
    const writer = await RecordingWriter.open({ dir, recordingId: 'quiet', key: TEST_KEY, clock: new ManualClock() });
    writer.markConsentAnnouncement('interrupted');
    await writer.close();
    const result = await renderSealedWavParts({ source: writer.path, key: TEST_KEY, recordingId: 'quiet', dir, createdAt: 0 });
    expect(result.parts).toHaveLength(1);
    expect(result).toMatchObject({ bytes: 44, durationSec: 0, consentAnnouncement: 'interrupted' });
    const plain = await plaintextOf(result.parts[0]!.path);
    expect(plain.toString('latin1', 0, 4)).toBe('RIFF');
    expect(plain.readUInt32LE(40)).toBe(0);

    const { dir: d2, path } = await record('played');
    expect((await renderSealedWavParts({ source: path, key: TEST_KEY, recordingId: 'call-1', dir: d2, createdAt: 0 })).consentAnnouncement).toBe('played');
    const { dir: d3, path: p3 } = await record();
    expect((await renderSealedWavParts({ source: p3, key: TEST_KEY, recordingId: 'call-1', dir: d3, createdAt: 0 })).consentAnnouncement).toBeNull();
  });

  it('leaves no part behind when the recording turns out to be tampered half-way', async () => {
    const { dir, path } = await record();
    const { bytes, records } = await recordSpans(path);
    expect(records.length).toBeGreaterThan(2);
    const bad = Buffer.from(bytes);
    bad[records[2]!.offset + 40]! ^= 0x01;
    await writeFile(path, bad);
    await expect(
      renderSealedWavParts({ source: path, key: TEST_KEY, recordingId: 'call-1', dir, maxPartBytes: 20_000, createdAt: 0 }),
    ).rejects.toBeInstanceOf(RecordingTamperedError);
    expect((await readdir(dir)).filter((n) => n !== 'call-1.srec')).toEqual([]);
  });

  it('cuts parts on sample frames whatever the pushed block sizes, and abort deletes finished parts too', async () => {
    const dir = await dirs.make();
    const format = { channels: 2, sampleRate: 8000, bitsPerSample: 16 };
    const sink = new SealedWavParts({ dir, recordingId: 'r', key: TEST_KEY, format, maxPartBytes: 44 + 4 * 25 + 3, createdAt: 0, chunkBytes: 48 });
    const pcm = Buffer.alloc(4 * 60);
    for (let i = 0; i < pcm.length; i++) pcm[i] = i & 0xff;
    for (let at = 0; at < pcm.length; at += 7) sink.push(pcm.subarray(at, at + 7));
    await sink.flush();
    const parts = await sink.finish();
    expect(parts.map((p) => p.bytes)).toEqual([144, 144, 84]);
    const data = Buffer.concat(await Promise.all(parts.map(async (p) => (await plaintextOf(p.path)).subarray(44))));
    expect(data.equals(pcm)).toBe(true);
    await sink.abort();
    expect(await readdir(dir)).toEqual([]);
    expect(() => new SealedWavParts({ dir, recordingId: 'r', key: TEST_KEY, format, createdAt: 0, chunkBytes: 43 })).toThrow(RangeError);
  });
});
