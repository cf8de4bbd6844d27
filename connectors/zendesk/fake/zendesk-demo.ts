/**
 * `npm run demo:zendesk`: the Zendesk connector on one machine, without a Zendesk account. Starts the fake
 * Zendesk API and a bridge connected to it (admin connect, alice mapped to her Zendesk agent, an app key), and
 * the fake Zendesk agent page that loads the packaged app (background + top bar + sidebars) as Zendesk would.
 * Open the agent page, sign in as alice in the top bar, then call from the bridge's /demo page with the phone
 * +62 812 3456 7890: Siti Rahma is displayed to alice, and after the call a voice ticket holds the recording.
 *
 * The bridge's own settings come from the environment like `npm start` (PORT, DATA_DIR, …); HOST is 127.0.0.1.
 */
import { copyFile, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBridge } from '../../../bridge-server/src/bridge.js';
import { loadConfig } from '../../../bridge-server/src/config.js';
import { FakeZendesk } from './fake-zendesk-api.js';
import { startZafHostPage } from './zaf-host-page.js';

const here = dirname(fileURLToPath(import.meta.url));
const EMAIL = 'admin@demo-zendesk.test';
const TOKEN = 'demo-zendesk-api-token';

async function main(): Promise<void> {
  const zendesk = await FakeZendesk.start({ apiToken: TOKEN, email: EMAIL });
  const zAlice = zendesk.seedAgent({ name: 'Alice Agent', email: 'alice@demo-zendesk.test' });
  zendesk.seedEndUser({ name: 'Siti Rahma', phone: '+62 812 3456 7890', email: 'siti@example.id' });

  const config = loadConfig({ ...process.env, HOST: '127.0.0.1', ZENDESK_API_URL: zendesk.url });
  const bridge = await startBridge(config);
  const api = async (method: string, path: string, token: string | null, body?: unknown): Promise<any> => {
    const res = await fetch(`${bridge.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? null : res.json();
  };
  const admin = (await api('POST', '/api/agent/login', null, { tenant: 'demo', username: 'admin', password: config.demo.passwords.admin })).token as string;
  await api('PUT', '/api/admin/crm', admin, {
    kind: 'zendesk',
    timeZone: 'Asia/Jakarta',
    settings: { account: zendesk.subdomain },
    secret: { kind: 'api-token', email: EMAIL, token: TOKEN },
  });
  await api('PUT', '/api/admin/crm/agents/alice', admin, { crmUserId: String(zAlice.id) });
  const appKey = (await api('POST', '/api/admin/crm/app-key', admin)).appKey as string;

  // The app package as Zendesk serves it: the manifest's assets with the built bundles beside them.
  const assets = await mkdtemp(join(tmpdir(), 'sambung-zendesk-app-'));
  const app = join(here, '..', '..', '..', 'manifests', 'zendesk', 'assets');
  for (const name of await readdir(app)) await copyFile(join(app, name), join(assets, name));
  for (const bundle of ['top-bar.js', 'background.js', 'sidebar.js']) await copyFile(join(here, '..', 'dist', bundle), join(assets, bundle));
  const host = await startZafHostPage({
    appAssetsDir: assets,
    settings: { bridge_url: `${bridge.url}/`, bridge_host: '127.0.0.1', tenant: 'demo' },
    secureSettings: { tenant_key: appKey },
    domainWhitelist: ['{{setting.bridge_host}}'],
    currentUser: { id: zAlice.id, name: 'Alice Agent', email: 'alice@demo-zendesk.test', locale: 'en-US', timeZone: { ianaName: 'Asia/Jakarta' } },
  });

  console.log([
    '',
    'Sambung + a fake Zendesk (no Zendesk account needed)',
    `  Zendesk agent page    ${host.url}   (sign in as alice / ${config.demo.passwords.alice} in the top bar)`,
    `  visitor demo page     ${bridge.url}/demo   (call with phone +62 812 3456 7890: Siti Rahma pops)`,
    `  fake Zendesk API      ${zendesk.url}/api/v2/tickets.json   (Basic ${EMAIL}/token:${TOKEN})`,
    '',
  ].join('\n'));
  const stop = (): void => {
    void Promise.allSettled([host.close(), bridge.close(), zendesk.close()]).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
