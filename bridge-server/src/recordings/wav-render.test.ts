import { afterEach, describe, expect, it } from 'vitest';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ManualClock } from '../clock.js';
import { RecordingTamperedError } from './recording-errors.js';
import { RecordingWriter } from './recording-writer.js';
import { holdPackets, recordSpans, rms, SILENT_PACKET, TEST_KEY, tempDirs } from './test-fixtures.js';
import { renderRecordingWav } from './wav-render.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

interface Script {
  /** Packets per 20 ms tick for each channel; undefined = that party sends nothing in the tick. */
  caller: (tick: number) => Buffer | undefined;
  agent: (tick: number) => Buffer | undefined;
  ticks: number;
  pauseAt?: number;
  resumeAt?: number;
}

async function recordScript(script: Script, close = true) {
  const clock = new ManualClock();
  const dir = await dirs.make();
  const writer = await RecordingWriter.open({ dir, recordingId: 'call-1', key: TEST_KEY, clock });
  for (let tick = 0; tick < script.ticks; tick++) {
    if (tick === script.pauseAt) writer.pause();
    if (tick === script.resumeAt) writer.resume();
    const c = script.caller(tick);
    const a = script.agent(tick);
    if (c) writer.write(1, c);
    if (a) writer.write(2, a);
    clock.advance(20);
  }
  if (close) await writer.close();
  else await writer.flush();
  return { dir, writer, path: writer.path };
}

async function render(path: string, dir: string, sampleRate?: 8000 | 16000 | 48000) {
  const outPath = join(dir, 'call-1.wav');
  const result = await renderRecordingWav({ source: path, key: TEST_KEY, outPath, ...(sampleRate ? { sampleRate } : {}) });
  const wav = await readFile(outPath);
  return { result, wav, pcm: wav.subarray(44) };
}

describe('renderRecordingWav', () => {
  it('writes a RIFF/WAVE PCM header for 16-bit stereo at 16 kHz with sizes that match the file', async () => {
    const hold = await holdPackets();
    const { path, dir } = await recordScript({ caller: (t) => hold[t], agent: () => SILENT_PACKET, ticks: 150 });
    const { result, wav } = await render(path, dir);

    expect(wav.toString('latin1', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
    expect(wav.toString('latin1', 8, 16)).toBe('WAVEfmt ');
    expect(wav.readUInt32LE(16)).toBe(16);
    expect(wav.readUInt16LE(20)).toBe(1); // PCM
    expect(wav.readUInt16LE(22)).toBe(2); // channels
    expect(wav.readUInt32LE(24)).toBe(16000);
    expect(wav.readUInt32LE(28)).toBe(16000 * 4); // byte rate
    expect(wav.readUInt16LE(32)).toBe(4); // block align
    expect(wav.readUInt16LE(34)).toBe(16);
    expect(wav.toString('latin1', 36, 40)).toBe('data');
    expect(wav.readUInt32LE(40)).toBe(wav.length - 44);
    expect(result).toEqual({
      path: join(dir, 'call-1.wav'),
      bytes: wav.length,
      frames: 48000,
      durationSec: 3,
      sampleRate: 16000,
      channels: 2,
      intact: true,
      lastGoodChunk: 0,
      damage: undefined,
      consentAnnouncement: null,
    });
    expect(await readdir(dir)).toEqual(['call-1.srec', 'call-1.wav']);
  });

  it('puts the caller on the left channel and the agent on the right', async () => {
    const hold = await holdPackets();
    const callerTalks = await recordScript({ caller: (t) => hold[t], agent: () => SILENT_PACKET, ticks: 150 });
    const { pcm: a } = await render(callerTalks.path, callerTalks.dir);
    expect(rms(a, 0, 2)).toBeGreaterThan(0.05);
    expect(rms(a, 1, 2)).toBeLessThan(0.001);

    const agentTalks = await recordScript({ caller: () => SILENT_PACKET, agent: (t) => hold[t], ticks: 150 });
    const { pcm: b } = await render(agentTalks.path, agentTalks.dir);
    expect(rms(b, 0, 2)).toBeLessThan(0.001);
    expect(rms(b, 1, 2)).toBeGreaterThan(0.05);
  });

  it('places audio on the timeline by arrival: a gap is silence and the duration ends with the last frame', async () => {
    const hold = await holdPackets();
    // The caller talks 0–1 s and 3–4 s; the agent says nothing at all (no packets) until 4.5 s, then 0.5 s.
    const { path, dir } = await recordScript({
      caller: (t) => (t < 50 || (t >= 150 && t < 200) ? hold[t] : undefined),
      agent: (t) => (t >= 225 ? hold[t] : undefined),
      ticks: 250,
    });
    const { result, pcm } = await render(path, dir);
    const at = (sec: number) => sec * 16000;
    expect(result.durationSec).toBe(5);
    expect(pcm.length).toBe(at(5) * 4);
    expect(rms(pcm, 0, 2, at(0), at(1))).toBeGreaterThan(0.05);
    expect(rms(pcm, 0, 2, at(1.1), at(2.9))).toBe(0);
    expect(rms(pcm, 0, 2, at(3), at(4))).toBeGreaterThan(0.05);
    expect(rms(pcm, 1, 2, 0, at(4.5))).toBe(0);
    expect(rms(pcm, 1, 2, at(4.5), at(5))).toBeGreaterThan(0.05);
  });

  it('plays packets that arrived in a burst one after another instead of on top of each other', async () => {
    const hold = await holdPackets();
    const clock = new ManualClock();
    const dir = await dirs.make();
    const writer = await RecordingWriter.open({ dir, recordingId: 'call-1', key: TEST_KEY, clock });
    for (let i = 0; i < 50; i++) writer.write(1, hold[i]!, 0); // one second of audio, all at t = 0
    await writer.close();
    const { result, pcm } = await render(writer.path, dir);
    expect(result.durationSec).toBe(1);
    expect(rms(pcm, 0, 2, 16000 * 0.9, 16000)).toBeGreaterThan(0.01);
  });

  it('leaves silence where the recording was paused', async () => {
    const hold = await holdPackets();
    const { path, dir } = await recordScript({ caller: (t) => hold[t], agent: (t) => hold[t + 100], ticks: 150, pauseAt: 50, resumeAt: 100 });
    const { result, pcm } = await render(path, dir);
    expect(result.durationSec).toBe(3);
    for (const ch of [0, 1]) {
      expect(rms(pcm, ch, 2, 0, 16000)).toBeGreaterThan(0.05);
      expect(rms(pcm, ch, 2, 16000, 32000)).toBe(0);
      expect(rms(pcm, ch, 2, 32000)).toBeGreaterThan(0.05);
    }
  });

  it('renders at the configured rate with the same duration', async () => {
    const hold = await holdPackets();
    const { path, dir } = await recordScript({ caller: (t) => hold[t], agent: () => SILENT_PACKET, ticks: 100 });
    for (const rate of [8000, 48000] as const) {
      const { result, wav, pcm } = await render(path, dir, rate);
      expect(wav.readUInt32LE(24)).toBe(rate);
      expect(result).toMatchObject({ sampleRate: rate, durationSec: 2, bytes: 44 + rate * 2 * 4 });
      expect(rms(pcm, 0, 2)).toBeGreaterThan(0.05);
    }
  });

  it('renders a crashed recording up to its last flushed chunk and says it is not intact', async () => {
    const hold = await holdPackets();
    const { path, dir, writer } = await recordScript({ caller: (t) => hold[t], agent: () => SILENT_PACKET, ticks: 100 }, false);
    const { result } = await render(path, dir);
    expect(result).toMatchObject({ intact: false, lastGoodChunk: 0, durationSec: 2 });
    await writer.close();
  });

  it('refuses a tampered recording and leaves no output behind', async () => {
    const hold = await holdPackets();
    const { path, dir } = await recordScript({ caller: (t) => hold[t], agent: () => SILENT_PACKET, ticks: 100 });
    const { bytes, records } = await recordSpans(path);
    bytes[records[0]!.offset + 40]! ^= 1;
    await writeFile(path, bytes);
    await expect(renderRecordingWav({ source: path, key: TEST_KEY, outPath: join(dir, 'call-1.wav') })).rejects.toBeInstanceOf(RecordingTamperedError);
    expect(await readdir(dir)).toEqual(['call-1.srec']);
  });
});
