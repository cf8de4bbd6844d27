/**
 * Issue 5's end-to-end proof, in real Chromium: the fake Zendesk agent page loads the packaged app (background +
 * top bar, the real ZAF SDK inside); the softphone in the top bar signs in to a real bridge connected to the fake
 * Zendesk API; a visitor calls from /demo; the top bar (preloaded hidden by the background) rings and pops open;
 * the agent answers; Zendesk receives the Talk Partner Edition display request for the matching end-user; the
 * agent pauses the recording for a while (silence in the WAV) and resumes it; after
 * the hang-up a voice ticket holds the call and a recording URL that downloads a two-channel WAV. A number clicked
 * in Zendesk (`voice.dialout`) makes the softphone dial an internal extension. The visitor's markup stays text, and neither the Zendesk API
 * token nor the app key ever reaches a page, a browser request or a log line.
 *
 * Needs the bundles (`npm run build`).
 */
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, recordPeerConnections } from '../../../bridge-server/test/support/chromium.js';
import { until } from '../../../bridge-server/test/support/recorded-call.js';
import { PASSWORDS, rand, registerAgent, startTestBridge } from '../../../bridge-server/test/support/test-bridge.js';
import { TestPeer } from '../../../bridge-server/test/support/webrtc-peer.js';
import { channelRms, windowRms } from '../../../bridge-server/test/support/wav.js';
import { bridgeApi } from '../../../bridge-server/test/support/bridge-api.js';
import type { FakeZendeskApi } from '../fake-host/fake-host-config.js';
import { FakeZendesk } from '../fake/fake-zendesk-api.js';
import { startZafHostPage, type ZafHostPage } from '../fake/zaf-host-page.js';

type FakeWindow = { fakeZendesk: FakeZendeskApi };

const here = dirname(fileURLToPath(import.meta.url));
const APP = join(here, '..', '..', '..', 'manifests', 'zendesk');
const DIST = join(here, '..', 'dist');
const EMAIL = 'admin@acme.test';
const TOKEN = 'zd-api-token-e2e-5d1c9b7a3f';
const HOSTILE_NAME = 'Siti <img src=x onerror=alert(1)>';

let chromium: Awaited<ReturnType<typeof launchChromium>>;
let zendesk: FakeZendesk;
let bridge: Awaited<ReturnType<typeof startTestBridge>>;
let host: ZafHostPage;
let assets: string;
let logText = '';
const contexts: BrowserContext[] = [];
/** Every URL, header and body the browsers sent or received. */
const wire: string[] = [];
const capturing: Promise<unknown>[] = [];

beforeAll(async () => {
  chromium = await launchChromium();
  zendesk = await FakeZendesk.start({ apiToken: TOKEN, email: EMAIL });
  const sink = new Writable({ write: (chunk, _enc, done) => ((logText += String(chunk)), done()) });
  bridge = await startTestBridge({ ZENDESK_API_URL: zendesk.url, MEDIA_PUBLIC_ADDRESS: '' }, { log: pino({ level: 'debug' }, sink) });
  assets = await mkdtemp(join(tmpdir(), 'zendesk-app-'));
  for (const name of await readdir(join(APP, 'assets'))) await copyFile(join(APP, 'assets', name), join(assets, name));
  for (const bundle of ['top-bar.js', 'background.js', 'sidebar.js']) await copyFile(join(DIST, bundle), join(assets, bundle));
});

afterAll(async () => {
  for (const c of contexts.splice(0)) await c.close();
  await chromium?.close();
  await host?.close();
  await bridge?.dispose();
  await zendesk?.close();
  if (assets) await rm(assets, { recursive: true, force: true });
});

const api = async (method: string, path: string, token: string, body?: unknown) => (await bridgeApi(bridge.url, method, path, token, body)).json;

async function newPage(label: string): Promise<Page> {
  const context = await chromium.newContext();
  contexts.push(context);
  await context.addInitScript(recordPeerConnections);
  context.on('request', (r) => capturing.push(r.allHeaders().then((h) => wire.push(r.url(), JSON.stringify(h), r.postData() ?? ''))));
  context.on('response', (r) => capturing.push(r.text().then((body) => wire.push(body), () => undefined)));
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[${label}] page error:`, e.message));
  return page;
}

const fake = <T>(page: Page, read: (z: FakeZendeskApi) => T): Promise<T> =>
  page.evaluate((source) => new Function('z', `return (${source})(z)`)((window as unknown as FakeWindow).fakeZendesk), read.toString()) as Promise<T>;

async function topBar(page: Page): Promise<Frame> {
  return until(() => page.frames().find((f) => f.url().includes('top_bar.html')), 'the top bar frame');
}

describe('Zendesk: a website call rings in the top bar and ends as a voice ticket with its recording', () => {
  it('pops the caller, writes the voice ticket and dials a clicked number', async () => {
    // The admin connects Zendesk, maps alice to her Zendesk agent and makes the app's tenant key.
    const adminToken = (await (await fetch(`${bridge.url}/api/agent/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'demo', username: 'admin', password: PASSWORDS.admin }),
    })).json() as { token: string }).token;
    await api('PUT', '/api/admin/crm', adminToken, {
      kind: 'zendesk',
      timeZone: 'Asia/Jakarta',
      settings: { account: zendesk.subdomain, screenPop: 'user', recordings: 'link' },
      secret: { kind: 'api-token', email: EMAIL, token: TOKEN },
    });
    const zAlice = zendesk.seedAgent({ name: 'Alice Agent', email: 'alice@acme.test' });
    await api('PUT', '/api/admin/crm/agents/alice', adminToken, { crmUserId: String(zAlice.id) });
    const appKey = (await api('POST', '/api/admin/crm/app-key', adminToken)).appKey as string;
    const siti = zendesk.seedEndUser({ name: 'Siti Rahma', phone: '+62 812 3456 7890', email: 'siti@example.id' });

    // Zendesk loads the app for alice: the background preloads the (hidden) top bar.
    host = await startZafHostPage({
      appAssetsDir: assets,
      settings: { bridge_url: `${bridge.url}/`, bridge_host: '127.0.0.1', tenant: 'demo' },
      secureSettings: { tenant_key: appKey },
      domainWhitelist: ['{{setting.bridge_host}}'],
      currentUser: { id: zAlice.id, name: 'Alice Agent', email: 'alice@acme.test', locale: 'en-US', timeZone: { ianaName: 'Asia/Jakarta' } },
    });
    const agent = await newPage('zendesk');
    await agent.goto(host.url);
    await expect.poll(() => fake(agent, (z) => z.popoverState.mounted), { timeout: 15_000 }).toBe(true);
    expect(await fake(agent, (z) => z.popoverState.visible)).toBe(false);

    // Alice signs in once in the top bar, then closes it.
    await agent.evaluate(() => (window as unknown as FakeWindow).fakeZendesk.openTopBar());
    const bar = await topBar(agent);
    await bar.fill('input[name="username"]', 'alice');
    await bar.fill('input[name="password"]', PASSWORDS.alice);
    await bar.click('button[data-softphone="sign-in"]');
    await bar.waitForSelector('[data-softphone="registration"][data-state="registered"]', { timeout: 20_000 });
    await agent.evaluate(() => (window as unknown as FakeWindow).fakeZendesk.closeTopBar());
    await expect.poll(() => fake(agent, (z) => z.popoverState.visible)).toBe(false);

    // A visitor calls from the website, typing markup into the name field.
    const visitor = await newPage('visitor');
    await visitor.goto(`${bridge.url}/demo`);
    await visitor.click('button[data-sambung="launcher"]');
    await visitor.fill('input[name="name"]', HOSTILE_NAME);
    await visitor.fill('input[name="phone"]', '+62 812 3456 7890');
    await visitor.fill('input[name="email"]', 'siti@example.id');
    await visitor.click('button[data-sambung="start"]');

    // The top bar rings and pops itself open; the caller's name is text.
    await bar.waitForSelector('[data-softphone="incoming"]', { state: 'visible', timeout: 20_000 });
    await expect.poll(() => fake(agent, (z) => z.popoverState.visible), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => bar.locator('[data-softphone="caller-name"]').textContent()).toBe(HOSTILE_NAME);
    expect(await bar.locator('img').count()).toBe(0);
    await bar.click('button[data-softphone="answer"]');
    await expect.poll(() => visitor.locator('[data-sambung="status"]').getAttribute('data-state'), { timeout: 15_000 }).toBe('connected');
    // Talk partner guidelines: the console fits 320 × 520 px with the agent-state selector always in view.
    const frameBox = await (await bar.frameElement()).boundingBox();
    expect(frameBox).toMatchObject({ width: 320, height: 520 });
    const selector = await bar.locator('select[data-softphone="state"]').boundingBox();
    expect(selector).not.toBeNull();
    expect(selector!.y).toBeGreaterThanOrEqual(0);
    expect(selector!.y + selector!.height).toBeLessThanOrEqual(520);
    if (process.env['SAMBUNG_SCREENSHOTS']) await agent.screenshot({ path: `${process.env['SAMBUNG_SCREENSHOTS']}/zendesk-in-call.png` });

    // Talk Partner Edition: Zendesk was asked to display Siti to alice.
    await expect.poll(() => zendesk.displays(), { timeout: 15_000 }).toEqual([expect.objectContaining({ agentId: zAlice.id, type: 'user', id: siti.id })]);

    // Alice pauses the recording while the caller reads out a card number, then resumes it.
    await visitor.waitForTimeout(2000);
    await bar.click('button[data-softphone="recording"]');
    await bar.waitForSelector('button[data-softphone="recording"][data-state="paused"]', { timeout: 10_000 });
    await visitor.waitForTimeout(2500);
    await bar.click('button[data-softphone="recording"]');
    await bar.waitForSelector('button[data-softphone="recording"][data-state="recording"]', { timeout: 10_000 });
    await visitor.waitForTimeout(2000);
    await visitor.click('button[data-sambung="hangup"]');
    await expect.poll(() => bridge.b2bua.activeCalls.length, { timeout: 10_000 }).toBe(0);
    await bridge.b2bua.flush();
    const tenant = (await bridge.store.tenants.findBySlug('demo'))!;
    const [cdr] = await bridge.store.calls.list(tenant.id, { limit: 1 });

    // The voice ticket: requester Siti, inbound voice, a voice comment with the call and its recording link.
    const ticket = await until(() => zendesk.tickets().find((t) => t.external_id === `sambung-call:${cdr!.id}`), 'the voice ticket', 30_000);
    expect(ticket).toMatchObject({ requester_id: siti.id, via: { channel: 'voice', rel: 'inbound' } });
    const voice = zendesk.comments(ticket.id).find((c) => c.type === 'VoiceComment')!;
    expect(voice.data).toMatchObject({ answered_by_id: zAlice.id, from: '+6281234567890' });
    expect(Math.abs(voice.data!.call_duration - cdr!.talkSeconds!)).toBeLessThanOrEqual(1);
    const wav = Buffer.from(await (await fetch(voice.data!.recording_url!)).arrayBuffer());
    const m = channelRms(wav);
    expect(m.channels).toBe(2);
    expect(m.left).toBeGreaterThan(50); // the visitor's fake microphone
    expect(m.right).toBeGreaterThan(50); // alice's fake microphone
    expect(Math.abs(m.seconds - cdr!.talkSeconds!)).toBeLessThan(1);
    // The paused span is silence on both channels (at least 2 s in a row: the fake devices never pause that long), with speech on each channel before and after it.
    const windows = windowRms(wav, 0.25);
    const silent = windows.map((w) => w.left < 5 && w.right < 5);
    const longest = silent.reduce<{ run: number; best: number; end: number }>(
      (acc, quiet, i) => (quiet ? { run: acc.run + 1, best: Math.max(acc.best, acc.run + 1), end: acc.run + 1 > acc.best ? i : acc.end } : { ...acc, run: 0 }),
      { run: 0, best: 0, end: -1 },
    );
    expect(longest.best * 0.25).toBeGreaterThanOrEqual(2);
    const before = windows.slice(0, longest.end - longest.best + 1);
    const after = windows.slice(longest.end + 1);
    // Each fake microphone beeps briefly twice a second, so each channel is checked on its own.
    for (const span of [before, after]) {
      expect(span.some((w) => w.left > 50)).toBe(true);
      expect(span.some((w) => w.right > 50)).toBe(true);
    }

    // Click-to-dial: Zendesk raises voice.dialout in the background, which hands it to the softphone, which dials
    // the internal extension (bob, registered here as a raw SIP client with a werift peer) through the bridge.
    await expect.poll(() => bar.locator('[data-softphone="status"]').getAttribute('data-state'), { timeout: 15_000 }).not.toBe('in-call');
    const bob = await registerAgent(bridge.wsUrl, 'bob');
    const bobPeer = new TestPeer();
    try {
      await agent.evaluate(() => (window as unknown as FakeWindow).fakeZendesk.dialout(' bob '));
      await expect.poll(() => bar.locator('[data-softphone="status"]').getAttribute('data-state'), { timeout: 10_000 }).toBe('dialing');
      const invite = await bob.request('INVITE');
      bob.reply(invite, 200, 'OK', {
        toTag: rand(),
        headers: [`Contact: <sip:bob@${bob.host};transport=ws>`, 'Content-Type: application/sdp'],
        body: await bobPeer.answer(invite.body),
      });
      await expect.poll(() => bar.locator('[data-softphone="status"]').getAttribute('data-state'), { timeout: 15_000 }).toBe('in-call');
      await bar.click('button[data-softphone="hangup"]');
      await bob.request('BYE', invite.callId);
    } finally {
      bob.close();
      await bobPeer.close();
    }

    // Secrets: never in a page, a browser request or response, or a log line.
    await Promise.all(capturing);
    const everything = wire.join('\n');
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(appKey);
    expect(logText).not.toContain(TOKEN);
    expect(logText).not.toContain(appKey);
    expect(await agent.content()).not.toContain(appKey);
  });
});
