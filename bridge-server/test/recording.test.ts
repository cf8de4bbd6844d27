import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectedCall, login as loginAs, until } from './support/recorded-call.js';
import { startTestBridge } from './support/test-bridge.js';
import { channelRms } from './support/wav.js';
import { TestResources } from './support/test-resources.js';

type TestBridge = Awaited<ReturnType<typeof startTestBridge>>;
let bridge: TestBridge;
const own = new TestResources();

beforeEach(async () => {
  bridge = await startTestBridge({ RECORDING_KEY: Buffer.alloc(32, 7).toString('base64') });
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
    const wav = await readFile(recording.parts[0]!.path);
    const m = channelRms(wav);
    expect(m).toMatchObject({ channels: 2, rate: 16000 });
    expect(m.left).toBeGreaterThan(100);
    expect(m.right).toBeLessThan(m.left / 20);
    expect(Math.abs(m.seconds - cdr.talkSeconds!)).toBeLessThan(1);
    const raw = await readFile(recording.path);
    expect(raw.includes(wav.subarray(200, 232))).toBe(false); // encrypted at rest
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
    const size = (await whole.arrayBuffer()).byteLength;
    const range = await fetch(url, { headers: { range: 'bytes=0-43' } });
    expect(range.status).toBe(206);
    expect(range.headers.get('content-range')).toBe(`bytes 0-43/${size}`);
    expect(Buffer.from(await range.arrayBuffer()).toString('ascii', 0, 4)).toBe('RIFF');
    expect((await fetch(url, { headers: { range: `bytes=${size + 10}-${size + 20}` } })).status).toBe(416);

    const token = url.split('/recordings/')[1]!.replace(/\.wav$/, '');
    const [h, p, sig] = token.split('.');
    const forged = JSON.parse(Buffer.from(p!, 'base64url').toString());
    forged.tenantId = 'another-tenant';
    const forgedUrl = `${bridge.url}/recordings/${h}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${sig}.wav`;
    expect((await fetch(forgedUrl)).status).toBe(403);
    expect((await fetch(`${bridge.url}/recordings/not-a-token.wav`)).status).toBe(403);

    const log = await bridge.store.recordings.accessLog(tenant.id, recording.id);
    expect(log.filter((e) => e.outcome === 'served').length).toBeGreaterThanOrEqual(3);
    const all = await bridge.store.recordings.accessLog(tenant.id);
    expect(all.length).toBeGreaterThanOrEqual(3);
  });
});
