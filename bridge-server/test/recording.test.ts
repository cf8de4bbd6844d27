import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectedCall, login as loginAs, until } from './support/recorded-call.js';
import { decryptPart, plaintextWavFiles } from './support/recording-files.js';
import { startTestBridge } from './support/test-bridge.js';
import { channelRms } from './support/wav.js';
import { TestResources } from './support/test-resources.js';

type TestBridge = Awaited<ReturnType<typeof startTestBridge>>;
let bridge: TestBridge;
const own = new TestResources();

const RECORDING_KEY = Buffer.alloc(32, 7).toString('base64');

beforeEach(async () => {
  bridge = await startTestBridge({ RECORDING_KEY });
});
afterEach(async () => {
  await own.release();
  await bridge.dispose();
});

const login = (who: 'admin' | 'alice') => loginAs(bridge, who);

async function recordedCall(talkMs: number) {
  const { tenant, cdr } = await connectedCall(bridge, own, talkMs);
  const recording = await until(async () => {
    const [r] = await bridge.store.recordings.byCall(tenant.id, cdr.id);
    return r?.state === 'rendered' || r?.state === 'delivered' ? r : null;
  }, 'recording rendered');
  return { tenant, cdr, recording };
}

describe('call recording', () => {
  it('records the caller on the left and the agent on the right, as long as the talk time', async () => {
    const { cdr, recording } = await recordedCall(2500);
    expect(recording.parts.length).toBe(1);
    const wav = await decryptPart(recording.parts[0]!.path, RECORDING_KEY);
    expect(wav.length).toBe(recording.parts[0]!.bytes);
    expect(recording.bytes).toBe(wav.length);
    const m = channelRms(wav);
    expect(m).toMatchObject({ channels: 2, rate: 16000 });
    expect(m.left).toBeGreaterThan(100);
    expect(m.right).toBeLessThan(m.left / 20);
    expect(Math.abs(m.seconds - cdr.talkSeconds!)).toBeLessThan(1);
  });

  it('keeps the recording and its rendered WAV parts encrypted at rest: no plaintext audio on disk', async () => {
    const { recording } = await recordedCall(1500);
    expect(recording.parts[0]!.path).toMatch(/\.part-01-of-01\.wav\.enc$/);
    const wav = await decryptPart(recording.parts[0]!.path, RECORDING_KEY);
    expect(wav.toString('latin1', 0, 4)).toBe('RIFF');
    expect(await plaintextWavFiles(bridge.config.recording.dir)).toEqual([]);
    for (const file of [recording.path, recording.parts[0]!.path]) {
      const raw = await readFile(file);
      expect(raw.includes(wav.subarray(200, 232))).toBe(false);
      expect(raw.includes(wav.subarray(wav.length - 64))).toBe(false);
    }
  });

  it('serves a recording through an expiring signed link with Range, and refuses forged or foreign links', async () => {
    const { tenant, recording } = await recordedCall(1200);
    const admin = await login('admin');
    expect(
      (await fetch(`${bridge.url}/api/recordings/${recording.id}/links`, { method: 'POST', headers: { authorization: `Bearer ${await login('alice')}` } })).status,
    ).toBe(403);
    const links = await fetch(`${bridge.url}/api/recordings/${recording.id}/links`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    const { parts } = (await links.json()) as { parts: { url: string }[] };
    const url = parts[0]!.url;

    const whole = await fetch(url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toMatch(/audio\/wav/);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    const body = Buffer.from(await whole.arrayBuffer());
    const size = body.length;
    expect(body.equals(await decryptPart(recording.parts[0]!.path, RECORDING_KEY))).toBe(true);
    expect(size).toBe(recording.parts[0]!.bytes);
    expect(Number(whole.headers.get('content-length'))).toBe(size);
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(size);

    const range = await fetch(url, { headers: { range: 'bytes=0-43' } });
    expect(range.status).toBe(206);
    expect(range.headers.get('content-range')).toBe(`bytes 0-43/${size}`);
    expect(Buffer.from(await range.arrayBuffer()).toString('ascii', 0, 4)).toBe('RIFF');
    // Ranges that start, end and straddle the 64 KiB chunk boundaries of the encrypted part.
    expect(size).toBeGreaterThan(65_536 + 100);
    for (const [from, to] of [[65_530, 65_545], [65_536, 65_536], [100, 65_535], [1, size - 2]] as const) {
      const res = await fetch(url, { headers: { range: `bytes=${from}-${to}` } });
      expect(res.status).toBe(206);
      expect(res.headers.get('content-range')).toBe(`bytes ${from}-${to}/${size}`);
      expect(Number(res.headers.get('content-length'))).toBe(to - from + 1);
      expect(Buffer.from(await res.arrayBuffer()).equals(body.subarray(from, to + 1)), `bytes ${from}-${to}`).toBe(true);
    }
    const suffix = await fetch(url, { headers: { range: 'bytes=-100' } });
    expect(Buffer.from(await suffix.arrayBuffer()).equals(body.subarray(size - 100))).toBe(true);
    const unsatisfiable = await fetch(url, { headers: { range: `bytes=${size + 10}-${size + 20}` } });
    expect(unsatisfiable.status).toBe(416);
    expect(unsatisfiable.headers.get('content-range')).toBe(`bytes */${size}`);
    const stale = await fetch(url, { headers: { range: 'bytes=0-43', 'if-range': '"another-version"' } });
    expect(stale.status).toBe(200);
    expect(Buffer.from(await stale.arrayBuffer()).equals(body)).toBe(true);
    const current = await fetch(url, { headers: { range: 'bytes=0-43', 'if-range': whole.headers.get('etag')! } });
    expect(current.status).toBe(206);

    const token = url.split('/recordings/')[1]!.replace(/\.wav$/, '');
    const [h, p, sig] = token.split('.');
    const forged = JSON.parse(Buffer.from(p!, 'base64url').toString());
    forged.tenantId = 'another-tenant';
    const forgedUrl = `${bridge.url}/recordings/${h}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${sig}.wav`;
    expect((await fetch(forgedUrl)).status).toBe(403);
    expect((await fetch(`${bridge.url}/recordings/not-a-token.wav`)).status).toBe(403);

    const log = await bridge.store.recordings.accessLog(tenant.id, recording.id);
    expect(log.filter((e) => e.outcome === 'served').length).toBeGreaterThanOrEqual(3);
    expect(log.some((e) => e.reason.startsWith('HEAD '))).toBe(true);
    const all = await bridge.store.recordings.accessLog(tenant.id);
    expect(all.length).toBeGreaterThanOrEqual(3);
  });

  it('answers 500 for a part whose file was altered, yet serves ranges that do not touch the damaged chunk', async () => {
    const { recording } = await recordedCall(1200);
    const admin = await login('admin');
    const links = await fetch(`${bridge.url}/api/recordings/${recording.id}/links`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    const url = ((await links.json()) as { parts: { url: string }[] }).parts[0]!.url;
    const path = recording.parts[0]!.path;
    const good = await readFile(path);
    const plain = await decryptPart(path, RECORDING_KEY);
    expect(plain.length).toBeGreaterThan(65_536); // two chunks: 64 KiB and the rest

    const firstChunkHit = Buffer.from(good);
    firstChunkHit[200]! ^= 0x01; // inside chunk 0's ciphertext (the header is under 100 bytes)
    await writeFile(path, firstChunkHit);
    const whole = await fetch(url);
    expect(whole.status).toBe(500);
    expect(JSON.stringify(await whole.json())).not.toMatch(/tamper|chunk/i); // no detail leaks to the client
    const tail = await fetch(url, { headers: { range: `bytes=65536-${plain.length - 1}` } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(plain.subarray(65_536))).toBe(true);

    const finalChunkHit = Buffer.from(good);
    finalChunkHit[good.length - 1]! ^= 0x01; // the final chunk's tag: caught when the part is opened
    await writeFile(path, finalChunkHit);
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(500);
    expect((await fetch(url, { headers: { range: 'bytes=0-43' } })).status).toBe(500);
  });
});
