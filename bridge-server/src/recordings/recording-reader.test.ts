import { afterEach, describe, expect, it } from 'vitest';
import { appendFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ManualClock } from '../clock.js';
import { RecordingTamperedError } from './recording-errors.js';
import { readRecording } from './recording-reader.js';
import { RecordingWriter } from './recording-writer.js';
import { OTHER_KEY, recordSpans, TEST_KEY, tempDirs } from './test-fixtures.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

/** A recording of `chunks` flushed chunks of 10 frames each (frame payload = [channel, chunk, i]). */
async function record(opts: { chunks: number; close?: boolean; recordingId?: string; dir?: string }) {
  const clock = new ManualClock();
  const dir = opts.dir ?? (await dirs.make());
  const writer = await RecordingWriter.open({ dir, recordingId: opts.recordingId ?? 'rec-a', key: TEST_KEY, clock });
  for (let c = 0; c < opts.chunks; c++) {
    for (let i = 0; i < 5; i++) {
      writer.write(1, Buffer.from([1, c, i]));
      writer.write(2, Buffer.from([2, c, i]));
      clock.advance(20);
    }
    await writer.flush();
  }
  if (opts.close !== false) await writer.close();
  return { writer, path: writer.path, dir };
}

async function expectTampered(path: string, position: number): Promise<void> {
  const error = await readRecording(path, TEST_KEY).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RecordingTamperedError);
  expect(error).toMatchObject({ reason: 'tampered', code: 'STORE_FAILED', position });
}

describe('reading a recording after a crash', () => {
  it('returns every flushed frame and intact: false when the last write was torn mid-chunk', async () => {
    const { path } = await record({ chunks: 3 });
    const { records } = await recordSpans(path);
    const last = records[records.length - 1]!; // the final chunk from close()
    const torn = records[2]!;
    await truncate(path, torn.offset + Math.floor(torn.length / 2));
    expect(last.final).toBe(true);

    const read = await readRecording(path, TEST_KEY);
    expect(read).toMatchObject({ intact: false, lastGoodChunk: 1 });
    expect(read.damage).toMatchObject({ offset: torn.offset, reason: expect.stringContaining('cut short') });
    expect(read.frames.map((f) => [...f.payload])).toEqual(
      [0, 1].flatMap((c) => [0, 1, 2, 3, 4].flatMap((i) => [[1, c, i], [2, c, i]])),
    );
  });

  it('returns every flushed frame and intact: false when garbage follows the last flushed chunk of an unclosed file', async () => {
    const { path, writer } = await record({ chunks: 2, close: false });
    await appendFile(path, Buffer.from('\x00\x00\x00\x00garbage of a torn write\xff\xfe'));
    const read = await readRecording(path, TEST_KEY);
    expect(read).toMatchObject({ intact: false, lastGoodChunk: 1 });
    expect(read.frames).toHaveLength(20);
    expect(read.damage?.reason).toContain('no record');
    await writer.close().catch(() => {});
  });

  it('says intact: false for a file cut exactly at a chunk boundary (no final chunk), with nothing damaged', async () => {
    const { path } = await record({ chunks: 2 });
    const { records } = await recordSpans(path);
    await truncate(path, records[2]!.offset);
    const read = await readRecording(path, TEST_KEY);
    expect(read).toMatchObject({ intact: false, lastGoodChunk: 1, damage: undefined });
    expect(read.frames).toHaveLength(20);
  });

  it('says intact: false when bytes were appended to a closed recording', async () => {
    const { path } = await record({ chunks: 1 });
    await appendFile(path, 'trailing');
    expect(await readRecording(path, TEST_KEY)).toMatchObject({ intact: false, lastGoodChunk: 1 });
  });

  it('reads an empty closed recording as intact with no frames', async () => {
    const { path } = await record({ chunks: 0 });
    expect(await readRecording(path, TEST_KEY)).toMatchObject({ intact: true, lastGoodChunk: 0, frames: [], markers: [] });
  });
});

describe('tamper detection', () => {
  it('throws RecordingTamperedError when a byte in a middle chunk is flipped', async () => {
    const { path } = await record({ chunks: 3 });
    const { bytes, records } = await recordSpans(path);
    const at = records[1]!.offset + records[1]!.length - 20;
    bytes[at]! ^= 0x40;
    await writeFile(path, bytes);
    await expectTampered(path, 1);
  });

  it('throws when a chunk header (index or final flag) is edited', async () => {
    const { path } = await record({ chunks: 3 });
    const { bytes, records } = await recordSpans(path);
    bytes[records[1]!.offset + 4] = 1; // claim chunk 1 is the final one
    await writeFile(path, bytes);
    await expectTampered(path, 1);
  });

  it('throws when two chunks are swapped', async () => {
    const { path } = await record({ chunks: 3 });
    const { bytes, headerLength, records } = await recordSpans(path);
    const [r0, r1, r2, r3] = records.map((r) => bytes.subarray(r.offset, r.offset + r.length));
    await writeFile(path, Buffer.concat([bytes.subarray(0, headerLength), r0!, r2!, r1!, r3!]));
    await expectTampered(path, 1);
  });

  it('throws when a chunk is removed from the middle', async () => {
    const { path } = await record({ chunks: 3 });
    const { bytes, headerLength, records } = await recordSpans(path);
    const keep = [0, 2, 3].map((i) => bytes.subarray(records[i]!.offset, records[i]!.offset + records[i]!.length));
    await writeFile(path, Buffer.concat([bytes.subarray(0, headerLength), ...keep]));
    await expectTampered(path, 1);
  });

  it('throws when a chunk is moved in from another recording at the same position', async () => {
    const dir = await dirs.make();
    const a = await record({ chunks: 3, dir, recordingId: 'rec-a' });
    const b = await record({ chunks: 3, dir, recordingId: 'rec-b' });
    const sa = await recordSpans(a.path);
    const sb = await recordSpans(b.path);
    const slice = (s: typeof sa, i: number) => s.bytes.subarray(s.records[i]!.offset, s.records[i]!.offset + s.records[i]!.length);
    await writeFile(a.path, Buffer.concat([sa.bytes.subarray(0, sa.headerLength), slice(sa, 0), slice(sb, 1), slice(sa, 2), slice(sa, 3)]));
    await expectTampered(a.path, 1);
  });

  it('throws when damage is followed by an authentic chunk (an edit, not a crash tail)', async () => {
    const { path } = await record({ chunks: 3 });
    const { bytes, records } = await recordSpans(path);
    bytes.write('XXXX', records[1]!.offset, 'latin1'); // chunk 1 no longer looks like a record
    await writeFile(path, bytes);
    await expectTampered(path, 1);
  });

  it('refuses a whole file renamed to pose as another recording when the id is given', async () => {
    const { path } = await record({ chunks: 1 });
    await expect(readRecording(path, TEST_KEY, { recordingId: 'rec-other' })).rejects.toMatchObject({ reason: 'not-a-recording' });
  });
});

describe('opening', () => {
  it('tells a wrong key apart from tampering', async () => {
    const { path } = await record({ chunks: 1 });
    await expect(readRecording(path, OTHER_KEY)).rejects.toMatchObject({ reason: 'wrong-key' });
  });

  it('refuses files that are not recordings or whose header is cut short', async () => {
    const dir = await dirs.make();
    await writeFile(join(dir, 'x.wav'), 'RIFF....WAVEfmt ');
    await expect(readRecording(join(dir, 'x.wav'), TEST_KEY)).rejects.toMatchObject({ reason: 'not-a-recording' });
    const { path } = await record({ chunks: 1, dir });
    await truncate(path, 20);
    await expect(readRecording(path, TEST_KEY)).rejects.toMatchObject({ reason: 'not-a-recording' });
    await expect(readRecording(join(dir, 'missing.srec'), TEST_KEY)).rejects.toMatchObject({ reason: 'io' });
  });
});
