import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpusDecoder } from 'opus-decoder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaError } from '../errors.js';
import { DEFAULT_CONSENT_PROMPT_PATH, loadConsentPrompt, loadOpusClip } from './opus-clip.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sambung-clip-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** RMS of 20 ms windows of the decoded clip (48 kHz mono), as 16-bit sample values. */
async function windowRms(packets: readonly Buffer[]): Promise<number[]> {
  const decoder = new OpusDecoder({ sampleRate: 48000, channels: 1 });
  await decoder.ready;
  try {
    return packets.map((p) => {
      const pcm = decoder.decodeFrame(p).channelData[0]!;
      let sum = 0;
      for (const x of pcm) sum += (x * 32767) ** 2;
      return Math.sqrt(sum / pcm.length);
    });
  } finally {
    decoder.free();
  }
}

describe('the bundled consent prompt', () => {
  it('is a small 48 kHz mono Ogg Opus file of 20 ms packets lasting a few seconds', async () => {
    expect((await stat(DEFAULT_CONSENT_PROMPT_PATH)).size).toBeLessThan(50 * 1024);
    const prompt = await loadConsentPrompt();
    expect(Object.isFrozen(prompt)).toBe(true);
    const seconds = prompt.length * 0.02;
    expect(seconds).toBeGreaterThan(2.5);
    expect(seconds).toBeLessThan(6);
    for (const p of prompt) expect(p[0]! & 3).toBe(0); // one frame per packet (opusenc --framesize 20)
  });

  it('carries speech: quiet lead-in and tail, and most of the middle well above silence', async () => {
    const rms = await windowRms(await loadConsentPrompt());
    expect(Math.max(...rms.slice(0, 5))).toBeLessThan(300); // the 150 ms of silence before the words
    expect(Math.max(...rms.slice(-15))).toBeLessThan(300); // the 500 ms after them
    const voiced = rms.filter((r) => r > 1000).length;
    expect(voiced / rms.length).toBeGreaterThan(0.4);
  });
});

describe('loadOpusClip', () => {
  it('names the clip in the MediaError for a missing file', async () => {
    const error = await loadOpusClip(join(dir, 'missing.opus'), 'greeting').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaError);
    expect((error as Error).message).toContain('greeting');
  });

  it('refuses a file that is not Ogg Opus', async () => {
    const path = join(dir, 'not-ogg.opus');
    await writeFile(path, 'RIFF....WAVE');
    await expect(loadOpusClip(path, 'greeting')).rejects.toBeInstanceOf(MediaError);
  });
});
