/**
 * The packaged Zendesk app served by Zendesk's own `zcli apps:server`, loaded in real Chromium the way Zendesk
 * loads a local app with `?zcli_apps=true`: node reads zcli's app.json (it lists every setting in clear, the
 * tenant key included), and the fake agent page frames each location from the app's `asset_url_prefix`. The zip
 * is the one `npm run package:zendesk` makes, unpacked; zcli gets real parameters — a real bridge connected to the
 * fake Zendesk, and an app key made through the admin API. Alice signs in in the top bar, and a user sidebar lists
 * that user's calls through the proxy, the key substituted server-side and never seen by the browser.
 *
 * Needs the bundles (`npm run build`).
 */
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../bridge-server/test/support/chromium.js';
import { PASSWORDS, rand, startTestBridge } from '../../../bridge-server/test/support/test-bridge.js';
import { bridgeApi } from '../../../bridge-server/test/support/bridge-api.js';
import { buildZendeskPackage } from '../../../scripts/package-zendesk.mjs';
import type { FakeZendeskApi } from '../fake-host/fake-host-config.js';
import { FakeZendesk } from '../fake/fake-zendesk-api.js';
import { startZafHostPage, type ZafHostPage } from '../fake/zaf-host-page.js';
import { startZcliAppServer, type ZcliAppServer } from '../fake/zcli-app-server.js';
import { zcliInstallation, type ZcliInstallation } from '../fake/zcli-installation.js';

type FakeWindow = { fakeZendesk: FakeZendeskApi };
interface Manifest {
  location: { support: Record<string, string | { url: string; size?: { width: string; height: string } }> };
}

const here = dirname(fileURLToPath(import.meta.url));
const DIST = join(here, '..', 'dist');
const EMAIL = 'admin@acme.test';
const TOKEN = 'zd-api-token-zcli-8c2e4a';
const HOSTED = ['background', 'top_bar', 'ticket_sidebar', 'user_sidebar'] as const;

let chromium: Awaited<ReturnType<typeof launchChromium>>;
let zendesk: FakeZendesk;
let bridge: Awaited<ReturnType<typeof startTestBridge>>;
let zcli: ZcliAppServer;
let host: ZafHostPage | undefined;
let context: BrowserContext | undefined;
let tmp: string;
let manifest: Manifest;
let appKey: string;
let installation: ZcliInstallation;
let zAlice: { id: number };
let siti: { id: number };
let seededCallId: string;

beforeAll(async () => {
  for (const bundle of ['top-bar.js', 'background.js', 'sidebar.js', 'fake-host.js']) {
    await stat(join(DIST, bundle)).catch(() => {
      throw new Error(`connectors/zendesk/dist/${bundle} is missing: run npm run build`);
    });
  }
  // The zip `npm run package:zendesk` writes, unpacked as a Zendesk developer would before `zcli apps:server`.
  tmp = await mkdtemp(join(tmpdir(), 'zcli-e2e-'));
  const appDir = join(tmp, 'app');
  const files = unzipSync(buildZendeskPackage({ bundles: DIST }).zip);
  for (const [path, bytes] of Object.entries(files)) {
    const target = normalize(join(appDir, path));
    if (!target.startsWith(`${appDir}/`)) throw new Error(`zip entry outside the app: ${path}`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, bytes);
  }
  manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as Manifest;

  chromium = await launchChromium();
  zendesk = await FakeZendesk.start({ apiToken: TOKEN, email: EMAIL });
  bridge = await startTestBridge({ ZENDESK_API_URL: zendesk.url, MEDIA_PUBLIC_ADDRESS: '' });

  // The admin connects Zendesk, maps alice to her Zendesk user and makes the app's key.
  const admin = await login('admin');
  await api('PUT', '/api/admin/crm', admin, {
    kind: 'zendesk', timeZone: 'Asia/Jakarta',
    settings: { account: zendesk.subdomain, screenPop: 'user', recordings: 'link' },
    secret: { kind: 'api-token', email: EMAIL, token: TOKEN },
  });
  zAlice = zendesk.seedAgent({ name: 'Alice Agent', email: 'alice@acme.test' });
  await api('PUT', '/api/admin/crm/agents/alice', admin, { crmUserId: String(zAlice.id) });
  appKey = ((await api('POST', '/api/admin/crm/app-key', admin)) as { appKey: string }).appKey;
  expect(appKey).toMatch(/\S{16,}/);

  // One answered call from Siti that alice took, remembered on Siti's Zendesk user (what a screen pop records).
  siti = zendesk.seedEndUser({ name: 'Siti Rahma', phone: '+62 812 3456 7890', email: 'siti@example.id' });
  const tenantId = bridge.seed!.tenant.id;
  const alice = (await bridge.store.agents.findByUsername(tenantId, 'alice'))!;
  const offeredAt = new Date('2030-01-02T03:04:05Z');
  seededCallId = await bridge.store.calls.offered({
    tenantId, queueId: bridge.seed!.queue.id, callerName: 'Siti Rahma', callerPhone: '+62 812 3456 7890',
    callerEmail: 'siti@example.id', sipCallId: `seed-${rand()}`, at: offeredAt,
  });
  await bridge.store.calls.answered(tenantId, seededCallId, alice.id, new Date(offeredAt.getTime() + 12_000));
  await bridge.store.calls.ended(tenantId, seededCallId, 'completed', new Date(offeredAt.getTime() + 107_000));
  await bridge.store.crm.setCallContact(tenantId, seededCallId, String(siti.id));

  zcli = await startZcliAppServer({
    appDir,
    parameters: { bridge_url: `${bridge.url}/`, bridge_host: '127.0.0.1', tenant: 'demo', tenant_key: appKey },
  });
  // Node reads app.json, as Zendesk's servers would; the browser never asks zcli for it.
  installation = zcliInstallation(zcli.appJson, manifest);
});

afterAll(async () => {
  await context?.close();
  await chromium?.close();
  await host?.close();
  await zcli?.close();
  await bridge?.dispose();
  await zendesk?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function api(method: string, path: string, token: string, body?: unknown): Promise<unknown> {
  const answer = await bridgeApi(bridge.url, method, path, token, body);
  if (answer.status >= 400) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
  return answer.json;
}

async function login(username: 'admin' | 'alice'): Promise<string> {
  const res = await fetch(`${bridge.url}/api/agent/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'demo', username, password: PASSWORDS[username] }),
  });
  return ((await res.json()) as { token: string }).token;
}

const fake = <T>(page: Page, read: (z: FakeZendeskApi) => T): Promise<T> =>
  page.evaluate((source) => new Function('z', `return (${source})(z)`)((window as unknown as FakeWindow).fakeZendesk), read.toString()) as Promise<T>;

async function frameOf(page: Page, file: string): Promise<Frame> {
  const find = (): Frame | undefined => page.frames().find((f) => f.url().includes(`/${file}?`));
  await expect.poll(() => find() !== undefined, { timeout: 15_000 }).toBe(true);
  return find()!;
}

describe('the packaged Zendesk app served by zcli apps:server, in Chromium', () => {
  it('serves an app.json that names the manifest’s locations and top bar size, settings as zcli lists them', () => {
    const [app] = zcli.appJson.apps;
    expect(app!.asset_url_prefix).toBe(`${zcli.url}/0/assets/`);
    const served = app!.locations!['support']!;
    expect(Object.keys(served).sort()).toEqual(Object.keys(manifest.location.support).sort());
    for (const [name, entry] of Object.entries(manifest.location.support)) {
      expect(served[name]!.url, name).toBe(typeof entry === 'string' ? entry : entry.url);
    }
    expect(served['top_bar']!.size).toEqual({ width: '320px', height: '520px' });

    expect(zcli.appJson.installations[0]!.settings).toContainEqual({ tenant_key: appKey });
    expect(installation).toMatchObject({
      assetBaseUrl: `${zcli.url}/0/assets/`,
      locations: { background: 'background.html', top_bar: 'top_bar.html', ticket_sidebar: 'sidebar.html', user_sidebar: 'sidebar.html' },
      topBarSize: { width: '320px', height: '520px' },
      settings: { public: { title: 'Sambung', bridge_url: `${bridge.url}/`, bridge_host: '127.0.0.1', tenant: 'demo' }, secure: { tenant_key: appKey } },
      domainWhitelist: ['{{setting.bridge_host}}'],
    });
  });

  it('loads every location from zcli; alice signs in in the preloaded top bar; a user sidebar lists that user’s calls', async () => {
    host = await startZafHostPage({
      appAssetsUrl: installation.assetBaseUrl,
      locations: installation.locations,
      settings: installation.settings.public,
      secureSettings: installation.settings.secure,
      domainWhitelist: installation.domainWhitelist,
      currentUser: { id: zAlice.id, name: 'Alice Agent', email: 'alice@acme.test', locale: 'en-US', timeZone: { ianaName: 'Asia/Jakarta' } },
    });
    expect(host.appOrigin).toBe(zcli.url);

    context = await chromium.newContext();
    const requested: string[] = [];
    const wire: string[] = [];
    const capturing: Promise<unknown>[] = [];
    context.on('request', (r) => {
      requested.push(r.url());
      capturing.push(r.allHeaders().then((h) => wire.push(r.url(), JSON.stringify(h), r.postData() ?? '')));
    });
    context.on('response', (r) => capturing.push(r.text().then((body) => wire.push(body), () => undefined)));
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('[zcli agent page] page error:', e.message));
    await page.goto(host.url);

    // The background comes up and preloads the top bar, hidden, at the manifest's size.
    const instance = async (location: string) => (await fake(page, (z) => z.instances)).find((i) => i.location === location);
    await expect.poll(async () => (await instance('background'))?.registered, { timeout: 15_000 }).toBe(true);
    await expect.poll(() => fake(page, (z) => z.popoverState), { timeout: 15_000 }).toEqual({ mounted: true, registered: true, visible: false });
    expect(await fake(page, (z) => z.log)).toContainEqual({ location: 'background', type: 'invoke', name: 'preloadPane', ok: true });
    await expect.poll(async () => (await instance('top_bar'))?.size, { timeout: 10_000 }).toEqual(installation.topBarSize);

    // Each frame is the zcli origin's page with the query Zendesk adds.
    const bar = await frameOf(page, 'top_bar.html');
    const barUrl = new URL(bar.url());
    expect(barUrl.origin).toBe(zcli.url);
    expect(barUrl.pathname).toBe('/0/assets/top_bar.html');
    expect(barUrl.searchParams.get('origin')).toBe(host.agentOrigin);
    expect(barUrl.searchParams.get('app_guid')).toBe((await instance('top_bar'))!.guid);
    expect(new URL((await frameOf(page, 'background.html')).url()).origin).toBe(zcli.url);

    // Alice signs in once in the top bar.
    await fake(page, (z) => z.openTopBar());
    await bar.waitForSelector('button[data-softphone="sign-in"]', { state: 'visible' });
    expect(await bar.inputValue('input[name="tenant"]')).toBe('demo');
    await bar.fill('input[name="username"]', 'alice');
    await bar.fill('input[name="password"]', PASSWORDS.alice);
    await bar.click('button[data-softphone="sign-in"]');
    await bar.waitForSelector('[data-softphone="registration"][data-state="registered"]', { timeout: 20_000 });

    // Siti's profile: the sidebar asks the bridge through the proxy, which fills in the tenant key.
    await page.evaluate((id) => (window as unknown as FakeWindow).fakeZendesk.openUser({ id, name: 'Siti Rahma' }), siti.id);
    const sidebar = await frameOf(page, 'sidebar.html');
    expect(new URL(sidebar.url()).origin).toBe(zcli.url);
    await sidebar.waitForSelector('[data-zendesk="recent-calls"][data-state="calls"]', { timeout: 15_000 });
    const items = sidebar.locator('[data-zendesk="recent-calls"] li');
    expect(await items.count()).toBe(1);
    expect(await items.first().getAttribute('data-call-id')).toBe(seededCallId);
    expect(await items.first().textContent()).toContain('Alice Agent');
    expect(host.proxied.at(-1)).toEqual({
      method: 'GET', url: `${bridge.url}/api/crm-app/recent-calls?contact_id=${siti.id}`, secure: true, status: 200,
    });

    // The key stayed in node: not in any request or response, frame, page config or the fake's log.
    await Promise.allSettled(capturing);
    expect(requested.some((url) => url.startsWith(`${zcli.url}/0/assets/`))).toBe(true);
    expect(requested.filter((url) => new URL(url).pathname.endsWith('/app.json'))).toEqual([]);
    expect(wire.some((text) => text.includes('{{setting.tenant_key}}'))).toBe(true); // the placeholder did travel
    expect(wire.filter((text) => text.includes(appKey))).toEqual([]);
    for (const frame of page.frames()) expect(await frame.content()).not.toContain(appKey);
    expect(JSON.stringify(await fake(page, (z) => ({ log: z.log, instances: z.instances })))).not.toContain(appKey);
  });
});
