/**
 * The Zendesk app in real Chromium, inside the fake Zendesk agent page, with the real ZAF SDK bundled in each
 * location: background, top bar and sidebars handshake over postMessage exactly as they would in Zendesk.
 *
 * Needs the bundles: run `node scripts/build-zendesk.mjs` first (the root build does).
 */
import { copyFile, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../bridge-server/test/support/chromium.js';
import type { AppLocation, FakeZendeskApi } from '../fake-host/fake-host-config.js';
import { startZafHostPage, type ZafHostPage } from '../fake/zaf-host-page.js';

type FakeWindow = { fakeZendesk: FakeZendeskApi };

const here = dirname(fileURLToPath(import.meta.url));
const DIST = join(here, '..', 'dist');
const APP = join(here, '..', '..', '..', 'manifests', 'zendesk');
const BUNDLES = ['top-bar.js', 'background.js', 'sidebar.js'];
const TENANT_KEY = 'zd_tenant_key_7Hq2vX9pL4';
const HOSTILE = '<img src=x onerror="alert(1)">';

interface Manifest {
  location: { support: Record<string, string | { url: string }> };
  domainWhitelist?: string[];
}
let manifest: Manifest;

let chromium: Awaited<ReturnType<typeof launchChromium>>;
let assets: string;
let bridge: Server;
let bridgeUrl: string;
const bridgeSaw: { url: string; headers: IncomingHttpHeaders }[] = [];
let host: ZafHostPage;
let context: BrowserContext;
/** Everything the browser sent or received, as text, to prove the tenant key never reached it. */
let wire: string[];
let capturing: Promise<unknown>[];

beforeAll(async () => {
  for (const bundle of [...BUNDLES, 'fake-host.js']) {
    await stat(join(DIST, bundle)).catch(() => {
      throw new Error(`connectors/zendesk/dist/${bundle} is missing: run node scripts/build-zendesk.mjs`);
    });
  }
  // The app package as Zendesk would serve it: manifests/zendesk/assets with the built bundles beside the pages.
  manifest = JSON.parse(await readFile(join(APP, 'manifest.json'), 'utf8')) as Manifest;
  assets = await mkdtemp(join(tmpdir(), 'zendesk-app-'));
  for (const name of await readdir(join(APP, 'assets'))) await copyFile(join(APP, 'assets', name), join(assets, name));
  for (const bundle of BUNDLES) await copyFile(join(DIST, bundle), join(assets, bundle));
  // The bridge's recent-calls route, as far as the sidebar needs it.
  bridge = createServer((req, res) => {
    bridgeSaw.push({ url: req.url ?? '', headers: req.headers });
    if (!req.url?.startsWith('/api/crm-app/recent-calls')) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
      calls: [
        { callId: 'cdr-1', startedAt: '2030-01-02T03:04:05Z', direction: 'inbound', queue: 'sales', agent: HOSTILE,
          durationSec: 95, outcome: 'answered', recordingUrl: 'https://recordings.example/cdr-1.wav' },
        { callId: 'cdr-2', startedAt: '2030-01-01T03:04:05Z', direction: 'inbound', queue: 'sales', agent: 'Ayu',
          durationSec: 0, outcome: 'missed', recordingUrl: 'javascript:alert(1)' },
      ],
    }));
  });
  await new Promise<void>((resolve) => bridge.listen(0, '127.0.0.1', resolve));
  bridgeUrl = `http://127.0.0.1:${(bridge.address() as AddressInfo).port}/`;
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
  await new Promise<void>((resolve) => bridge?.close(() => resolve()));
  if (assets) await rm(assets, { recursive: true, force: true });
});

afterEach(async () => {
  await context?.close();
  await host?.close();
});

async function openAgentPage(): Promise<Page> {
  host = await startZafHostPage({
    appAssetsDir: assets,
    locations: manifestLocations(),
    // The manifest's parameters: bridge_url, bridge_host and tenant public, tenant_key secure.
    settings: { bridge_url: bridgeUrl, bridge_host: new URL(bridgeUrl).hostname, tenant: 'acme' },
    secureSettings: { tenant_key: TENANT_KEY },
    domainWhitelist: manifest.domainWhitelist ?? [],
    currentUser: { id: 7001, name: 'Ayu Agent', email: 'ayu@example.com', locale: 'id-ID', timeZone: { ianaName: 'Asia/Jakarta' } },
  });
  context = await chromium.newContext();
  wire = [];
  capturing = [];
  context.on('request', (request) => {
    capturing.push(request.allHeaders().then((headers) => wire.push(request.url(), JSON.stringify(headers), request.postData() ?? '')));
  });
  context.on('response', (response) => {
    capturing.push(response.text().then((body) => wire.push(body), () => undefined));
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[fake zendesk] page error:', error.message));
  await page.goto(host.url);
  return page;
}

/** `location.support.<name>` → the page under assets/, as the fake serves the assets folder at its root. */
function manifestLocations(): Record<AppLocation, string> {
  const url = (name: AppLocation): string => {
    const entry = manifest.location.support[name];
    const path = typeof entry === 'string' ? entry : entry?.url;
    if (!path?.startsWith('assets/')) throw new Error(`manifest.json has no support.${name} page under assets/`);
    return path.slice('assets/'.length);
  };
  return { background: url('background'), top_bar: url('top_bar'), ticket_sidebar: url('ticket_sidebar'), user_sidebar: url('user_sidebar') };
}

const instances = (page: Page) => page.evaluate(() => (window as unknown as FakeWindow).fakeZendesk.instances);
const instanceAt = async (page: Page, location: string) => (await instances(page)).find((i) => i.location === location);

async function frameOf(page: Page, location: string): Promise<Frame> {
  await expect.poll(() => page.frames().some((f) => f.url().includes(`/${location}.html?`)), { timeout: 15_000 }).toBe(true);
  return page.frames().find((f) => f.url().includes(`/${location}.html?`))!;
}

describe('the Zendesk app on the real ZAF SDK, in a fake agent page (real Chromium)', () => {
  it('loads the background, which preloads the top bar softphone; the top bar learns the agent and sizes itself', async () => {
    const page = await openAgentPage();
    await expect.poll(async () => (await instanceAt(page, 'background'))?.registered, { timeout: 15_000 }).toBe(true);
    await expect.poll(async () => (await instanceAt(page, 'top_bar'))?.registered, { timeout: 15_000 }).toBe(true);
    expect(await page.evaluate(() => (window as unknown as FakeWindow).fakeZendesk.popoverState))
      .toEqual({ mounted: true, registered: true, visible: false });

    const topBar = await frameOf(page, 'top_bar');
    const query = new URL(topBar.url()).searchParams;
    expect(query.get('origin')).toBe(host.agentOrigin);
    expect(query.get('app_guid')).toBe((await instanceAt(page, 'top_bar'))!.guid);
    await topBar.waitForSelector('button[data-softphone="sign-in"]', { state: 'attached' });
    expect(await topBar.inputValue('input[name="tenant"]')).toBe('acme'); // read from client.metadata().settings

    await expect.poll(async () => (await instanceAt(page, 'top_bar'))?.size, { timeout: 10_000 })
      .toEqual({ width: '320px', height: '520px' });
    const log = await page.evaluate(() => (window as unknown as FakeWindow).fakeZendesk.log);
    expect(log).toContainEqual({ location: 'top_bar', type: 'get', name: 'currentUser', ok: true });
    expect(log).toContainEqual({ location: 'background', type: 'get', name: 'instances', ok: true });
    expect(log).toContainEqual({ location: 'background', type: 'invoke', name: 'preloadPane', ok: true });

    await page.evaluate(() => (window as unknown as FakeWindow).fakeZendesk.openTopBar());
    await expect.poll(() => page.locator('[data-fake-zendesk="popover"]').isVisible()).toBe(true);
  });

  it('relays a clicked number from the background to the softphone, whose notice Zendesk shows as text', async () => {
    const page = await openAgentPage();
    await expect.poll(async () => (await instanceAt(page, 'background'))?.subscriptions['voice.dialout'], { timeout: 15_000 }).toBe(1);
    await expect.poll(async () => (await instanceAt(page, 'top_bar'))?.subscriptions['sambung.dialout'], { timeout: 15_000 }).toBe(1);

    // Signed out, the softphone answers each click with a notice through the host: one per click proves the relay.
    expect(await page.evaluate(() => (window as unknown as FakeWindow).fakeZendesk.dialout(' +62 812 3456 7890 '))).toBe(1);
    await page.evaluate((hostile) => (window as unknown as FakeWindow).fakeZendesk.dialout(hostile), HOSTILE);
    await expect.poll(() => page.evaluate(() => (window as unknown as FakeWindow).fakeZendesk.notifications), { timeout: 10_000 })
      .toHaveLength(2);
    const notes = await page.evaluate(() => (window as unknown as FakeWindow).fakeZendesk.notifications);
    for (const note of notes) {
      expect(note).toMatchObject({ kind: 'alert', elements: 0, from: 'top_bar' });
      expect(note.text).not.toBe('');
      expect(note.text).not.toMatch(/&(amp|lt|gt|quot|#39);/); // escaped once: Zendesk's HTML rendering gives the plain text back
    }
    const log = await page.evaluate(() => (window as unknown as FakeWindow).fakeZendesk.log);
    expect(log.filter((e) => e.location === 'background' && e.type === 'trigger'))
      .toEqual([1, 2].map(() => ({ location: 'background', type: 'trigger', name: 'sambung.dialout → top_bar', ok: true })));
    expect(await page.locator('[data-fake-zendesk="notifications"] li').allTextContents()).toEqual(notes.map((note) => note.text));
    expect(await page.locator('img').count()).toBe(0);
    expect(await (await frameOf(page, 'top_bar')).locator('img').count()).toBe(0);
  });

  it('shows a user’s and a ticket requester’s recent calls through the proxy, the tenant key never in the browser', async () => {
    const page = await openAgentPage();
    await page.evaluate(() => (window as unknown as FakeWindow).fakeZendesk.openUser({ id: 4242, name: 'Siti' }));
    const userSidebar = await frameOf(page, 'sidebar');
    await userSidebar.waitForSelector('[data-zendesk="recent-calls"][data-state="calls"]', { timeout: 15_000 });

    const seen = bridgeSaw.filter((r) => r.url.startsWith('/api/crm-app/recent-calls'));
    expect(seen.at(-1)!.url).toBe('/api/crm-app/recent-calls?contact_id=4242');
    expect(seen.at(-1)!.headers.authorization).toBe(`Bearer ${TENANT_KEY}`);
    expect(host.proxied.at(-1)).toEqual({
      method: 'GET', url: `${bridgeUrl}api/crm-app/recent-calls?contact_id=4242`, secure: true, status: 200,
    });

    const items = userSidebar.locator('[data-zendesk="recent-calls"] li');
    expect(await items.count()).toBe(2);
    expect(await items.first().textContent()).toContain(`Agent: ${HOSTILE}`);
    expect(await userSidebar.locator('img').count()).toBe(0);
    const links = userSidebar.locator('a[data-zendesk="recording"]');
    expect(await links.count()).toBe(1);
    expect(await links.getAttribute('href')).toBe('https://recordings.example/cdr-1.wav');
    expect(await links.getAttribute('rel')).toBe('noopener noreferrer');

    await page.evaluate(() => (window as unknown as FakeWindow).fakeZendesk.openTicket({ id: 9, requester: { id: 77 } }));
    await expect.poll(() => bridgeSaw.at(-1)?.url, { timeout: 15_000 }).toBe('/api/crm-app/recent-calls?contact_id=77');
    const ticketSidebar = await frameOf(page, 'sidebar');
    await ticketSidebar.waitForSelector('[data-zendesk="recent-calls"][data-state="calls"]', { timeout: 15_000 });

    await Promise.allSettled(capturing);
    expect(wire.some((text) => text.includes('{{setting.tenant_key}}'))).toBe(true); // the placeholder did travel
    expect(wire.length).toBeGreaterThan(0);
    expect(wire.filter((text) => text.includes(TENANT_KEY))).toEqual([]);
    for (const frame of page.frames()) expect(await frame.content()).not.toContain(TENANT_KEY);
    expect(JSON.stringify(await page.evaluate(() => (window as unknown as FakeWindow).fakeZendesk.log))).not.toContain(TENANT_KEY);
  });
});
