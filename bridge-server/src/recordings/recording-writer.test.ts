import { afterEach, describe, expect, it, vi } from 'vitest';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RtpHeader, RtpPacket } from 'werift';
import { ManualClock } from '../clock.js';
import { RecordingError } from './recording-errors.js';
import { readRecording } from './recording-reader.js';
import { RecordingWriter, recordingPath, type TappableLeg } from './recording-writer.js';
import { holdPackets, SILENT_PACKET, TEST_KEY, tempDirs } from './test-fixtures.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

async function openWriter(opts: { clock?: ManualClock; flushIntervalMs?: number; maxBufferedBytes?: number; recordingId?: string } = {}) {
  const clock = opts.clock ?? new ManualClock();
  const dir = await dirs.make();
  const writer = await RecordingWriter.open({ dir, recordingId: opts.recordingId ?? 'rec-1', key: TEST_KEY, clock, ...opts });
  return { writer, clock, dir };
}

/** 20 ms of both parties: the caller's packet, then the agent's, then the clock moves on. */
function talk(writer: RecordingWriter, clock: ManualClock, caller: readonly Buffer[], agent: readonly Buffer[], count: number): void {
  for (let i = 0; i < count; i++) {
    writer.write(1, caller[i % caller.length]!);
    writer.write(2, agent[i % agent.length]!);
    clock.advance(20);
  }
}

function fakeLeg(): TappableLeg & { emit(pt: number, payload: Buffer): void; handlers: number } {
  let handlers: ((p: RtpPacket) => void)[] = [];
  return {
    onRtp(h) {
      handlers.push(h);
      return () => void (handlers = handlers.filter((x) => x !== h));
    },
    emit(pt, payload) {
      for (const h of handlers) h(new RtpPacket(new RtpHeader({ payloadType: pt, sequenceNumber: 1, timestamp: 960 }), payload));
    },
    get handlers() {
      return handlers.length;
    },
  };
}

describe('RecordingWriter', () => {
  it('writes both channels with arrival times from the clock and reads them back in order from an intact file', async () => {
    const { writer, clock, dir } = await openWriter();
    const hold = await holdPackets();
    talk(writer, clock, hold, [SILENT_PACKET], 100);
    const result = await writer.close();

    expect(result).toEqual({ path: recordingPath(dir, 'rec-1'), bytes: (await stat(result.path)).size, durationMs: 2000 });
    const read = await readRecording(result.path, TEST_KEY);
    expect(read.intact).toBe(true);
    expect(read.header).toMatchObject({ version: 1, recordingId: 'rec-1', createdAt: 1_700_000_000_000 });
    expect(read.frames).toHaveLength(200);
    read.frames.forEach((f, i) => {
      expect(f.channel).toBe(i % 2 === 0 ? 1 : 2);
      expect(f.atMs).toBe(Math.floor(i / 2) * 20);
      expect(f.payload.equals(i % 2 === 0 ? hold[i / 2]! : SILENT_PACKET)).toBe(true);
    });
    expect(read.markers).toEqual([]);
  });

  it('flushes a synced chunk every flush interval of the injected clock and nothing in between, so a crash loses at most that much', async () => {
    const { writer, clock } = await openWriter({ flushIntervalMs: 5000 });
    expect(clock.pending).toBe(1);
    const headerOnly = (await stat(writer.path)).size;
    talk(writer, clock, [SILENT_PACKET], [SILENT_PACKET], 249); // up to 4980 ms
    await new Promise((r) => setTimeout(r, 20));
    expect((await stat(writer.path)).size).toBe(headerOnly);

    talk(writer, clock, [SILENT_PACKET], [SILENT_PACKET], 1); // 5000 ms: the timer fires
    await vi.waitFor(async () => expect((await stat(writer.path)).size).toBeGreaterThan(headerOnly));
    let crashed = await readRecording(writer.path, TEST_KEY); // read while the writer is still open, as after kill -9
    expect(crashed).toMatchObject({ intact: false, lastGoodChunk: 0 });
    expect(crashed.frames).toHaveLength(500);

    const oneChunk = (await stat(writer.path)).size; // measured before the next flush can start
    talk(writer, clock, [SILENT_PACKET], [SILENT_PACKET], 250); // 10000 ms: the re-armed timer fires
    await vi.waitFor(async () => expect((await stat(writer.path)).size).toBeGreaterThan(oneChunk));
    crashed = await readRecording(writer.path, TEST_KEY);
    expect(crashed).toMatchObject({ intact: false, lastGoodChunk: 1 });
    expect(crashed.frames).toHaveLength(1000);
    expect(clock.pending).toBe(1);
    await writer.close();
    expect(clock.pending).toBe(0);
    expect(await readRecording(writer.path, TEST_KEY)).toMatchObject({ intact: true, lastGoodChunk: 2 });
  });

  it('flushes early when the buffer passes maxBufferedBytes', async () => {
    const { writer, clock } = await openWriter({ maxBufferedBytes: 1000 });
    talk(writer, clock, [Buffer.alloc(100, 1)], [Buffer.alloc(100, 2)], 10); // 20 entries of 107 bytes
    expect(writer.stats.chunks).toBe(2);
    await writer.close();
    expect((await readRecording(writer.path, TEST_KEY)).frames).toHaveLength(20);
  });

  it('drops frames while paused and records pause and resume markers', async () => {
    const { writer, clock } = await openWriter();
    talk(writer, clock, [SILENT_PACKET], [SILENT_PACKET], 50);
    writer.pause();
    writer.pause();
    expect(writer.paused).toBe(true);
    talk(writer, clock, [Buffer.from([0xfc, 0x41, 0x42])], [Buffer.from([0xfc, 0x43])], 50);
    writer.resume();
    writer.resume();
    expect(writer.paused).toBe(false);
    talk(writer, clock, [SILENT_PACKET], [SILENT_PACKET], 50);
    await writer.close();

    const read = await readRecording(writer.path, TEST_KEY);
    expect(read.markers).toEqual([
      { kind: 'pause', atMs: 1000 },
      { kind: 'resume', atMs: 2000 },
    ]);
    expect(read.frames).toHaveLength(200);
    expect(read.frames.some((f) => f.atMs >= 1000 && f.atMs < 2000)).toBe(false);
    expect(writer.stats.redacted).toBe(100);
  });

  it('records what the caller heard of the consent announcement as an authenticated marker', async () => {
    const { writer, clock } = await openWriter();
    writer.markConsentAnnouncement('played');
    talk(writer, clock, [SILENT_PACKET], [SILENT_PACKET], 10);
    await writer.close();
    writer.markConsentAnnouncement('interrupted'); // after close: ignored
    expect((await readRecording(writer.path, TEST_KEY)).markers).toEqual([{ kind: 'consent-played', atMs: 0 }]);

    const cut = (await openWriter({ recordingId: 'rec-2' })).writer;
    cut.markConsentAnnouncement('interrupted');
    await cut.close();
    expect((await readRecording(cut.path, TEST_KEY)).markers).toEqual([{ kind: 'consent-interrupted', atMs: 0 }]);
  });

  it('closes once: the same result every time, later frames ignored, no timer left', async () => {
    const { writer, clock } = await openWriter();
    talk(writer, clock, [SILENT_PACKET], [SILENT_PACKET], 5);
    const first = writer.close();
    expect(writer.close()).toBe(first);
    writer.write(1, SILENT_PACKET);
    writer.pause();
    const result = await first;
    expect(await writer.close()).toEqual(result);
    expect((await stat(result.path)).size).toBe(result.bytes);
    expect((await readRecording(result.path, TEST_KEY)).frames).toHaveLength(10);
    expect(clock.pending).toBe(0);
  });

  it('taps a leg: records its Opus packets on the given channel, skips telephone-events, and unsubscribes', async () => {
    const { writer, clock } = await openWriter();
    const caller = fakeLeg();
    const agent = fakeLeg();
    const offCaller = writer.attachToLeg(caller, 1);
    writer.attachToLeg(agent, 2);
    caller.emit(111, Buffer.from([0xf8, 1]));
    agent.emit(111, Buffer.from([0xf8, 2]));
    caller.emit(110, Buffer.from([1, 0, 0, 160])); // a DTMF event is not audio
    clock.advance(20);
    offCaller();
    caller.emit(111, Buffer.from([0xf8, 3]));
    expect(caller.handlers).toBe(0);
    await writer.close();
    expect(agent.handlers).toBe(0);
    agent.emit(111, Buffer.from([0xf8, 4]));

    const read = await readRecording(writer.path, TEST_KEY);
    expect(read.frames.map((f) => [f.channel, f.payload[1], f.atMs])).toEqual([
      [1, 1, 0],
      [2, 2, 0],
    ]);
  });

  it('never overwrites an existing recording and refuses ids that could escape the folder', async () => {
    const { writer, dir } = await openWriter();
    await writer.close();
    const existing = join(dir, 'rec-2.srec');
    await writeFile(existing, 'keep me');
    await expect(RecordingWriter.open({ dir, recordingId: 'rec-2', key: TEST_KEY, clock: new ManualClock() })).rejects.toMatchObject({ reason: 'io' });
    expect((await stat(existing)).size).toBe(7);
    for (const id of ['../escape', '.hidden', 'a/b', '', 'x'.repeat(129)]) {
      await expect(RecordingWriter.open({ dir, recordingId: id, key: TEST_KEY, clock: new ManualClock() })).rejects.toBeInstanceOf(RecordingError);
    }
  });
});
