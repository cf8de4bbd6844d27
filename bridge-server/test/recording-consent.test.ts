import { OpusDecoder } from 'opus-decoder';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadHoldAudio } from '../src/media/hold-player.js';
import { loadConsentPrompt } from '../src/media/opus-clip.js';
import { parseRecordingKey, readRecording, type RecordingMarker } from '../src/recordings/index.js';
import { login, offeredCall, until } from './support/recorded-call.js';
import { startTestBridge } from './support/test-bridge.js';
import { TestResources } from './support/test-resources.js';
import { bridgeApi } from './support/bridge-api.js';

type TestBridge = Awaited<ReturnType<typeof startTestBridge>>;
const RECORDING_KEY = Buffer.alloc(32, 5).toString('base64');
/** Opus silence, what the agent's peer sends (TestPeer.talk's default). */
const AGENT_SILENCE = 'f8fffe';
/** Received packets that may be lost while the visitor's SRTP comes up: the prompt's 150 ms lead-in is silence. */
const LEAD_IN_PACKETS = 7;

let bridge: TestBridge;
const own = new TestResources();
let prompt: string[];
let hold: string[];

beforeAll(async () => {
  prompt = (await loadConsentPrompt()).map((p) => p.toString('hex'));
  hold = (await loadHoldAudio()).map((p) => p.toString('hex'));
});
afterEach(async () => {
  await own.release();
  await bridge?.dispose();
});

async function api(method: string, path: string, body?: unknown) {
  const answer = await bridgeApi(bridge.url, method, path, await login(bridge, 'admin'), body);
  return { status: answer.status, body: answer.json as Record<string, any> };
}

/** A visitor calling the sales queue, whose peer keeps every Opus payload it receives, in order (hex). */
async function visitorCall() {
  const heard: string[] = [];
  const call = await offeredCall(bridge, own, {}, (vPeer) => {
    vPeer.pc.getTransceivers()[0]!.onTrack.subscribe((track) => track.onReceiveRtp.subscribe((rtp) => void heard.push(rtp.payload.toString('hex'))));
  });
  const heardAtOffer = heard.length;
  const answer = async () => {
    const { hangUp } = await call.answer();
    return { heardAtAnswer: heard.length, hangUp };
  };
  return { heard, heardAtOffer, answer, sipCallId: call.inv.callId };
}

/** The markers of the call's recording, once rendered. */
/** The markers inside the call's recording, and the consent its row records. */
async function recordingMarkers(sipCallId: string): Promise<RecordingMarker[] & { consent?: string | null }> {
  const tenant = (await bridge.store.tenants.findBySlug('demo'))!;
  const cdr = (await bridge.store.calls.findBySipCallId(tenant.id, sipCallId))!;
  const recording = await until(async () => {
    const [r] = await bridge.store.recordings.byCall(tenant.id, cdr.id);
    return r?.state === 'rendered' ? r : null;
  }, 'recording rendered');
  const markers = (await readRecording(recording.path, parseRecordingKey(RECORDING_KEY))).markers;
  return Object.assign(markers, { consent: recording.consent });
}

/** Where the prompt starts in what the visitor heard (its first packets may be lost while SRTP comes up). */
function promptStart(heard: readonly string[]): { at: number; skipped: number } {
  for (let skipped = 0; skipped <= LEAD_IN_PACKETS; skipped++) {
    const at = heard.indexOf(prompt[skipped]!);
    if (at >= 0) return { at, skipped };
  }
  return { at: -1, skipped: -1 };
}

/** Loudest 20 ms window of these Opus packets, as a 16-bit RMS. */
async function loudest(packets: readonly string[]): Promise<number> {
  const decoder = new OpusDecoder({ sampleRate: 48000, channels: 1 });
  await decoder.ready;
  let max = 0;
  for (const hex of packets) {
    const pcm = decoder.decodeFrame(Buffer.from(hex, 'hex')).channelData[0]!;
    let sum = 0;
    for (const x of pcm) sum += (x * 32767) ** 2;
    max = Math.max(max, Math.sqrt(sum / Math.max(1, pcm.length)));
  }
  decoder.free();
  return max;
}

describe('the recording-consent announcement', () => {
  it('is a queue setting, off by default, validated by the admin API', async () => {
    bridge = await startTestBridge({ RECORDING_KEY });
    const sales = (await api('GET', '/api/admin/queues')).body['queues'].find((q: { name: string }) => q.name === 'sales');
    expect(sales.recordingConsent).toBe(false);
    const bad = await api('PUT', '/api/admin/queues/sales', { recordingConsent: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body['error'].fieldErrors).toHaveProperty('recordingConsent');
    const on = await api('PUT', '/api/admin/queues/sales', { recordingConsent: true, wrapUpSec: 5 });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ recordingConsent: true, wrapUpSec: 5 });
    expect(on.body).not.toHaveProperty('acdConfig');
    const tenant = (await bridge.store.tenants.findBySlug('demo'))!;
    const stored = (await bridge.store.queues.findByName(tenant.id, 'sales'))!;
    expect(stored.recordingConsent).toBe(true);
    expect(stored.acdConfig).not.toHaveProperty('recordingConsent'); // a column, not routing configuration
    expect((await api('PUT', '/api/admin/queues/sales', { wrapUpSec: 0 })).body['recordingConsent']).toBe(true); // absent: kept
    const created = await api('POST', '/api/admin/queues', { name: 'billing', displayName: 'Billing', mode: 'form', recordingConsent: true });
    expect(created.status).toBe(201);
    expect(created.body['recordingConsent']).toBe(true);
    expect((await api('POST', '/api/admin/queues', { name: 'claims', displayName: 'Claims', mode: 'form' })).body['recordingConsent']).toBe(false);
  });

  it('plays to a caller of a recorded queue before hold music, while the agent is already being offered the call', async () => {
    bridge = await startTestBridge({ RECORDING_KEY });
    expect((await api('PUT', '/api/admin/queues/sales', { recordingConsent: true })).status).toBe(200);
    const call = await visitorCall();
    // The offer went out at once: the prompt does not hold back ringing the agent.
    expect(call.heardAtOffer).toBeLessThan(prompt.length);
    await until(() => call.heard.length >= prompt.length + 10, 'the whole prompt and some hold music');
    const { heardAtAnswer, hangUp } = await call.answer();

    const { at, skipped } = promptStart(call.heard);
    expect(at).toBe(0); // nothing before the prompt
    const expected = [...prompt.slice(skipped), ...hold.slice(0, 5)];
    expect(call.heard.slice(0, expected.length)).toEqual(expected);
    expect(heardAtAnswer).toBeGreaterThanOrEqual(expected.length); // all of it before the agent answered
    expect(await loudest(call.heard.slice(0, prompt.length - skipped))).toBeGreaterThan(3000); // speech, not silence
    await until(() => call.heard.at(-1) === AGENT_SILENCE, 'the agent’s audio');
    await hangUp();
    const markers = await recordingMarkers(call.sipCallId);
    expect([...markers]).toEqual([{ kind: 'consent-played', atMs: expect.any(Number) }]);
    expect(markers.consent).toBe('played');
  });

  it('is cut short when the agent answers during it, and the recording says so', async () => {
    bridge = await startTestBridge({ RECORDING_KEY });
    expect((await api('PUT', '/api/admin/queues/sales', { recordingConsent: true })).status).toBe(200);
    const call = await visitorCall();
    await until(() => call.heard.length >= 40, 'the first words of the prompt');
    const { hangUp } = await call.answer();
    await until(() => call.heard.at(-1) === AGENT_SILENCE, 'the agent’s audio');
    const firstAgent = call.heard.indexOf(AGENT_SILENCE);
    const { at } = promptStart(call.heard);
    expect(at).toBe(0);
    expect(firstAgent).toBeLessThan(prompt.length); // the prompt did not play to its end
    const afterAgent = call.heard.slice(firstAgent);
    expect(afterAgent.some((p) => prompt.includes(p) || hold.includes(p))).toBe(false); // no prompt, no hold music
    await hangUp();
    const markers = await recordingMarkers(call.sipCallId);
    expect([...markers]).toEqual([{ kind: 'consent-interrupted', atMs: expect.any(Number) }]);
    expect(markers.consent).toBe('interrupted');
  });

  it('is not played when the queue has it off, nor when the queue is not recorded', async () => {
    bridge = await startTestBridge({ RECORDING_KEY });
    const off = await visitorCall();
    await until(() => off.heard.length >= 30, 'hold music');
    expect(off.heard.slice(0, 3).every((p) => hold.includes(p))).toBe(true);
    expect(off.heard.some((p) => prompt.includes(p) && !hold.includes(p))).toBe(false);
    const { hangUp } = await off.answer();
    await hangUp();
    const offMarkers = await recordingMarkers(off.sipCallId);
    expect([...offMarkers]).toEqual([]);
    expect(offMarkers.consent).toBeNull();
    await own.release();

    expect((await api('PUT', '/api/admin/queues/sales', { recordingConsent: true, recording: { enabled: false } })).status).toBe(200);
    const unrecorded = await visitorCall();
    await until(() => unrecorded.heard.length >= 30, 'hold music');
    expect(unrecorded.heard.some((p) => prompt.includes(p) && !hold.includes(p))).toBe(false);
    expect(unrecorded.heard.slice(0, 3).every((p) => hold.includes(p))).toBe(true);
  });
});
