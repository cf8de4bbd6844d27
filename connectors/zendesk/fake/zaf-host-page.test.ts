import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SambungError } from '../../../bridge-server/src/errors.js';
import type { FakeHostConfig } from '../fake-host/fake-host-config.js';
import { startZafHostPage, type ZafHostPage, type ZafHostPageOptions } from './zaf-host-page.js';

const SECRET = 'tk_test_9f8e7d6c';
let dir: string;
let assets: string;
let echo: Server;
let echoUrl: string;
const echoed: { authorization: string | undefined; url: string }[] = [];
let page: ZafHostPage | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zaf-host-page-'));
  assets = join(dir, 'assets');
  await mkdir(assets);
  await writeFile(join(assets, 'top_bar.html'), '<!doctype html><div id="app"></div><script src="top-bar.js"></script>');
  await writeFile(join(dir, 'outside.txt'), 'not an asset');
  await writeFile(join(dir, 'fake-host.js'), 'window.loaded = true;');
  echo = createServer((req, res) => {
    echoed.push({ authorization: req.headers.authorization, url: req.url ?? '' });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"calls":[]}');
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/`;
});

afterEach(async () => {
  await page?.close();
  page = undefined;
});

afterAll(async () => {
  await new Promise<void>((resolve) => echo.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

const start = async (overrides: { fakeHostScript?: string; domainWhitelist?: string[]; bridgeHost?: string } = {}) =>
  (page = await startZafHostPage({
    appAssetsDir: assets,
    settings: { bridge_url: echoUrl, bridge_host: overrides.bridgeHost ?? '127.0.0.1', title: '</script><script>alert(1)</script>' },
    ...(overrides.domainWhitelist ? { domainWhitelist: overrides.domainWhitelist } : {}),
    secureSettings: { tenant_key: SECRET },
    currentUser: { id: 7, name: 'Ayu', locale: 'id-ID' },
    fakeHostScript: overrides.fakeHostScript ?? join(dir, 'fake-host.js'),
  }));

function configOf(html: string): FakeHostConfig {
  const match = /<script type="application\/json" id="fake-zendesk-config">([^<]*)<\/script>/.exec(html);
  if (!match) throw new Error('no config in page');
  return JSON.parse(match[1]!) as FakeHostConfig;
}

describe('fake Zendesk agent page server', () => {
  it('serves the agent page and the app from two different origins', async () => {
    const { url, agentOrigin, appOrigin } = await start();
    expect(url).toBe(`${agentOrigin}/`);
    expect(new URL(appOrigin).port).not.toBe(new URL(agentOrigin).port);
    const response = await fetch(url);
    expect(response.headers.get('content-security-policy')).toContain(`frame-src ${appOrigin}`);
    const html = await response.text();
    expect(html).toContain('<script src="/fake-host.js" defer></script>');
    expect(configOf(html)).toMatchObject({
      appOrigin,
      locations: { background: 'background.html', top_bar: 'top_bar.html', ticket_sidebar: 'sidebar.html', user_sidebar: 'sidebar.html' },
      proxyPath: '/proxy/apps/request',
      metadata: { settings: { bridge_url: echoUrl, title: '</script><script>alert(1)</script>' } },
      currentUser: { id: 7, name: 'Ayu', locale: 'id-ID' },
    });
  });

  it('never puts a secure setting in the page, nor lets a setting close the config script', async () => {
    const html = await (await fetch((await start()).url)).text();
    expect(html).not.toContain(SECRET);
    expect(html).not.toContain('tenant_key');
    expect(html).not.toContain('</script><script>alert(1)');
  });

  it('serves the built fake-host script, and says how to build it when missing', async () => {
    const { agentOrigin } = await start();
    expect(await (await fetch(`${agentOrigin}/fake-host.js`)).text()).toBe('window.loaded = true;');
    await page!.close();
    const missing = await start({ fakeHostScript: join(dir, 'nope.js') });
    const response = await fetch(`${missing.agentOrigin}/fake-host.js`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('build-zendesk');
  });

  it('serves app assets and nothing outside their folder', async () => {
    const { appOrigin, agentOrigin } = await start();
    const asset = await fetch(`${appOrigin}/top_bar.html?origin=x&app_guid=y`);
    expect(asset.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await asset.text()).toContain('<div id="app"></div>');
    for (const path of ['/../outside.txt', '/%2e%2e/outside.txt', '/..%2foutside.txt', '/', '/missing.html', '/%E0%A4%A']) {
      const response = await fetch(`${appOrigin}${path}`);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(await response.text(), path).not.toContain('not an asset');
    }
    expect((await fetch(`${appOrigin}/top_bar.html`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${agentOrigin}/top_bar.html`)).status).toBe(404);
  });

  it('proxies a secure request to the whitelisted bridge with the key substituted server-side', async () => {
    const host = await start();
    const response = await fetch(`${host.agentOrigin}/proxy/apps/request`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        installationId: 2002,
        options: { url: `${echoUrl}api/crm-app/recent-calls?contact_id=1`, secure: true, headers: { Authorization: 'Bearer {{setting.tenant_key}}' } },
      }),
    });
    const body = await response.json();
    expect(body).toEqual({ status: 200, statusText: 'OK', contentType: 'application/json', body: '{"calls":[]}' });
    expect(echoed.at(-1)).toEqual({ authorization: `Bearer ${SECRET}`, url: '/api/crm-app/recent-calls?contact_id=1' });
    expect(host.proxied).toEqual([{ method: 'GET', url: `${echoUrl}api/crm-app/recent-calls?contact_id=1`, secure: true, status: 200 }]);
    expect(JSON.stringify(host.proxied)).not.toContain(SECRET);
  });

  it('expands {{setting.…}} in the manifest’s domainWhitelist to decide where secrets may go', async () => {
    const send = async (host: ZafHostPage): Promise<number> => {
      const response = await fetch(`${host.agentOrigin}/proxy/apps/request`, {
        method: 'POST',
        body: JSON.stringify({ installationId: 2002, options: { url: `${echoUrl}x`, secure: true, headers: { A: '{{setting.tenant_key}}' } } }),
      });
      return ((await response.json()) as { status: number }).status;
    };
    expect(await send(await start({ domainWhitelist: ['{{setting.bridge_host}}'] }))).toBe(200);
    await page!.close();
    expect(await send(await start({ domainWhitelist: ['{{setting.bridge_host}}'], bridgeHost: 'bridge.example.com' }))).toBe(403);
    await page!.close();
    expect(await send(await start({ domainWhitelist: [new URL(echoUrl).host] }))).toBe(200);
  });

  it('refuses a proxy body that is not JSON', async () => {
    const { agentOrigin } = await start();
    const response = await fetch(`${agentOrigin}/proxy/apps/request`, { method: 'POST', body: '{nope' });
    expect(response.status).toBe(400);
  });
});

describe('fake Zendesk agent page server, app loaded from a running server (zcli apps:server)', () => {
  const ZCLI_ASSETS = 'http://localhost:4567/0/assets/';
  const common = {
    settings: { bridge_url: 'https://bridge.example/', tenant: 'demo' },
    secureSettings: { tenant_key: SECRET },
    currentUser: { id: 7 },
    fakeHostScript: '/nonexistent/fake-host.js',
  };

  it('frames every location from the asset URL, on its origin, and serves no app of its own', async () => {
    for (const appAssetsUrl of [ZCLI_ASSETS, 'http://localhost:4567/0/assets']) {
      page = await startZafHostPage({ ...common, appAssetsUrl, locations: { user_sidebar: 'pages/user.html?v=2' } });
      expect(page.appOrigin).toBe('http://localhost:4567');
      const response = await fetch(page.url);
      expect(response.headers.get('content-security-policy')).toContain('frame-src http://localhost:4567');
      const html = await response.text();
      expect(configOf(html)).toMatchObject({
        appOrigin: 'http://localhost:4567',
        locations: {
          background: '/0/assets/background.html', top_bar: '/0/assets/top_bar.html',
          ticket_sidebar: '/0/assets/sidebar.html', user_sidebar: '/0/assets/pages/user.html?v=2',
        },
        metadata: { settings: { bridge_url: 'https://bridge.example/', tenant: 'demo' } },
      });
      expect(html).not.toContain(SECRET);
      expect((await fetch(`${page.agentOrigin}/0/assets/top_bar.html`)).status).toBe(404);
      await page.close();
      page = undefined;
    }
  });

  const refusal = async (options: ZafHostPageOptions): Promise<SambungError> => {
    const error = await startZafHostPage(options).then((started) => {
      page = started;
      return undefined;
    }, (e: unknown) => e);
    if (!(error instanceof SambungError)) throw new Error(`expected a SambungError, got ${String(error)}`);
    return error;
  };

  it('needs exactly one of appAssetsDir and appAssetsUrl', async () => {
    for (const sources of [{ appAssetsDir: assets, appAssetsUrl: ZCLI_ASSETS }, {}]) {
      const error = await refusal({ ...common, ...sources } as unknown as ZafHostPageOptions);
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message).toContain('give exactly one of appAssetsDir and appAssetsUrl');
    }
  });

  it('refuses an asset URL that is not a plain http(s) URL', async () => {
    for (const appAssetsUrl of ['not a url', 'file:///tmp/assets/', 'javascript:alert(1)', 'http://user:pw@localhost:4567/0/assets/',
      'http://localhost:4567/0/assets/?x=1', 'http://localhost:4567/0/assets/#top']) {
      const error = await refusal({ ...common, appAssetsUrl });
      expect(error.code, appAssetsUrl).toBe('CONFIG_INVALID');
      expect(error.message, appAssetsUrl).toContain('appAssetsUrl');
    }
  });

  it('refuses a location outside the asset URL, such as zcli’s app.json with every setting in it', async () => {
    for (const top_bar of ['../app.json', '../../app.json', '%2e%2e/app.json', '/app.json', '//evil.example/x.html', 'http://evil.example/x.html', '', '?x']) {
      const error = await refusal({ ...common, appAssetsUrl: ZCLI_ASSETS, locations: { top_bar } });
      expect(error.code, top_bar).toBe('CONFIG_INVALID');
      expect(error.message, top_bar).toContain(`locations.top_bar "${top_bar}" is not a page under ${ZCLI_ASSETS}`);
    }
  });
});
