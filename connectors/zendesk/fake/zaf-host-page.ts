/**
 * A fake Zendesk agent page for tests, served from node. Two loopback HTTP servers:
 *
 * - the **agent page** (`url`): the HTML shell, its script `fake-host.js` (the parent side of the ZAF protocol,
 *   `fake-host/`), and `POST /proxy/apps/request`, the stand-in for Zendesk's request proxy;
 * - the **app origin** (`appOrigin`, another port, so every app iframe is cross-origin as on
 *   `*.apps.zdusercontent.com`): the app's assets, served as files from `appAssetsDir`.
 *
 * Or, with `appAssetsUrl` instead of `appAssetsDir`, no app server of its own: the iframes load from that URL, as
 * Zendesk loads an app from `zcli apps:server` with `?zcli_apps=true` (the app's `asset_url_prefix`, e.g.
 * `http://localhost:4567/0/assets/`; see `zcli-app-server.ts`), and `appOrigin` is that URL's origin.
 *
 * Secure settings (`secureSettings`) never leave node: the page's configuration carries only the public
 * settings, and the proxy substitutes `{{setting.<name>}}` in a request's URL, headers and data only when the
 * app asked for `secure: true` and the target host is in the domain whitelist — as Zendesk's proxy does
 * ("Making API requests from a Zendesk app": secure settings, `domainWhitelist`).
 */
import { readFile, realpath } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readBody } from '../../../bridge-server/src/crm/fake-http-body.js';
import { ConfigError } from '../../../bridge-server/src/errors.js';
import type { AppLocation, FakeHostConfig, ProxyResponseBody } from '../fake-host/fake-host-config.js';
import { proxyRequest, type ProxiedRequest, type ProxySettings } from './zaf-proxy.js';

/** Where the app's pages come from: exactly one of a folder this fake serves, or a server already running. */
export type ZafAppAssets =
  | {
    /** Folder served at the app origin's root (the app's `assets/`). */
    readonly appAssetsDir: string;
    readonly appAssetsUrl?: never;
  }
  | {
    /**
     * Base URL of the app's assets on a running server, e.g. zcli's `asset_url_prefix`
     * (`http://localhost:4567/0/assets/`). Each location's page is resolved against it and must stay under it.
     */
    readonly appAssetsUrl: string;
    readonly appAssetsDir?: never;
  };

export type ZafHostPageOptions = ZafAppAssets & ZafHostPageSettings;

export interface ZafHostPageSettings {
  /** Public app parameters, as `client.metadata().settings` returns them. */
  readonly settings: Readonly<Record<string, string | number | boolean>>;
  /** Secure parameters (e.g. `tenant_key`): only the proxy sees them. */
  readonly secureSettings?: Readonly<Record<string, string>>;
  /** `client.get('currentUser')`: `{ id, name, email, locale, timeZone: { ianaName } … }`. */
  readonly currentUser: Readonly<Record<string, unknown>>;
  /** Where relative request URLs (`/api/v2/…`) go, e.g. a fake Zendesk REST API. */
  readonly zendeskApiUrl?: string;
  /**
   * The manifest's `domainWhitelist`: hosts secure settings may be sent to, `{{setting.<name>}}` expanded from
   * the public settings (e.g. `{{setting.bridge_host}}`). Defaults to the host of `settings.bridge_url`.
   */
  readonly domainWhitelist?: readonly string[];
  /** Page of each location under `appAssetsDir` or `appAssetsUrl`; defaults match `manifests/zendesk`. */
  readonly locations?: Partial<Readonly<Record<AppLocation, string>>>;
  /** The built `fake-host.js`; defaults to `connectors/zendesk/dist/fake-host.js`. */
  readonly fakeHostScript?: string;
  readonly subdomain?: string;
}

export interface ZafHostPage {
  /** The agent page. */
  readonly url: string;
  readonly agentOrigin: string;
  readonly appOrigin: string;
  /** Requests the proxy forwarded or refused, with placeholders as the app sent them (never a secret). */
  readonly proxied: readonly ProxiedRequest[];
  close(): Promise<void>;
}

export const DEFAULT_LOCATIONS: Readonly<Record<AppLocation, string>> = {
  background: 'background.html',
  top_bar: 'top_bar.html',
  ticket_sidebar: 'sidebar.html',
  user_sidebar: 'sidebar.html',
};

export const PROXY_PATH = '/proxy/apps/request';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.map': 'application/json',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
};

const here = dirname(fileURLToPath(import.meta.url));

export async function startZafHostPage(options: ZafHostPageOptions): Promise<ZafHostPage> {
  const locations = { ...DEFAULT_LOCATIONS, ...options.locations };
  const source = await appSource(options, locations);
  const script = options.fakeHostScript ?? join(here, '..', 'dist', 'fake-host.js');
  const proxied: ProxiedRequest[] = [];
  const { appOrigin } = source;
  const proxySettings: ProxySettings = {
    public: options.settings,
    secure: options.secureSettings ?? {},
    whitelist: options.domainWhitelist ? expandWhitelist(options.domainWhitelist, options.settings) : defaultWhitelist(options.settings),
    ...(options.zendeskApiUrl ? { zendeskApiUrl: options.zendeskApiUrl } : {}),
  };
  const config = (): FakeHostConfig => ({
    appOrigin,
    locations: source.locations,
    proxyPath: PROXY_PATH,
    metadata: { appId: 1001, installationId: 2002, name: 'Sambung', version: '1.0.0', settings: { ...options.settings } },
    currentUser: options.currentUser,
    account: { subdomain: options.subdomain ?? 'sambung-fake' },
  });
  const agent = await listen(createServer((req, res) => {
    void serveAgent(req, res, { config, script, appOrigin, proxy: async (body) => {
      const { response, record } = await proxyRequest(body, proxySettings);
      proxied.push(record);
      return response;
    } }).catch((error: unknown) => fail(res, 500, String(error)));
  })).catch(async (error: unknown) => {
    await source.close();
    throw error;
  });
  const agentOrigin = origin(agent);
  return {
    url: `${agentOrigin}/`,
    agentOrigin,
    appOrigin,
    proxied,
    async close() {
      await Promise.all([close(agent), source.close()]);
    },
  };
}

/** Where the iframes load from: the app origin, each location's page under it, and how to stop serving it. */
interface AppSource {
  readonly appOrigin: string;
  readonly locations: Readonly<Record<AppLocation, string>>;
  close(): Promise<void>;
}

async function appSource(options: ZafAppAssets, locations: Readonly<Record<AppLocation, string>>): Promise<AppSource> {
  const { appAssetsDir: dir, appAssetsUrl: url } = options;
  if ((dir === undefined) === (url === undefined)) {
    throw ConfigError.invalid(['fake agent page: give exactly one of appAssetsDir and appAssetsUrl']);
  }
  if (dir !== undefined) {
    const assets = await realpath(resolve(dir));
    const app = await listen(createServer((req, res) => void serveAsset(assets, req, res)));
    return { appOrigin: origin(app), locations, close: () => close(app) };
  }
  const base = assetsBase(url!);
  const mapped = {} as Record<AppLocation, string>;
  for (const [location, page] of Object.entries(locations) as [AppLocation, string][]) {
    const target = new URL(page, base);
    // Only the app's own pages: never `../app.json` (zcli's lists every setting, secure ones included).
    if (!target.href.startsWith(base.href) || target.pathname === base.pathname) {
      throw ConfigError.invalid([`fake agent page: locations.${location} "${page}" is not a page under ${base.href}`]);
    }
    mapped[location] = `${target.pathname}${target.search}`;
  }
  return { appOrigin: base.origin, locations: mapped, close: async () => undefined };
}

/** `appAssetsUrl` as a base for relative pages: http(s), no credentials, query or fragment, ending in `/`. */
function assetsBase(url: string): URL {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw ConfigError.invalid([`fake agent page: appAssetsUrl is not a URL: ${url}`]);
  }
  if ((base.protocol !== 'http:' && base.protocol !== 'https:') || base.username || base.password || base.search || base.hash) {
    throw ConfigError.invalid([`fake agent page: appAssetsUrl must be a plain http(s) URL: ${url}`]);
  }
  if (!base.pathname.endsWith('/')) base.pathname = `${base.pathname}/`;
  return base;
}

interface AgentRoutes {
  readonly config: () => FakeHostConfig;
  readonly script: string;
  readonly appOrigin: string;
  readonly proxy: (body: unknown) => Promise<ProxyResponseBody>;
}

async function serveAgent(req: IncomingMessage, res: ServerResponse, routes: AgentRoutes): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://agent').pathname;
  if (req.method === 'GET' && path === '/') {
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // The page runs only its own script, frames only the app origin and talks only to itself (the proxy).
      'content-security-policy': `default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; ` +
        `connect-src 'self'; frame-src ${routes.appOrigin}`,
    });
    res.end(agentHtml(routes.config()));
  } else if (req.method === 'GET' && (path === '/fake-host.js' || path === '/fake-host.js.map')) {
    const file = path === '/fake-host.js' ? routes.script : `${routes.script}.map`;
    const body = await readFile(file).catch(() => null);
    if (!body) return fail(res, 404, `not built: ${file} (run node scripts/build-zendesk.mjs)`);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(body);
  } else if (req.method === 'POST' && path === PROXY_PATH) {
    let body: unknown;
    try {
      const bytes = await readBody(req, 1_000_000);
      if (bytes === 'too-large') return fail(res, 413, 'proxy body too large');
      body = JSON.parse(bytes.toString('utf8'));
    } catch {
      return fail(res, 400, 'proxy body must be JSON');
    }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(await routes.proxy(body)));
  } else {
    fail(res, 404, 'not found');
  }
}

async function serveAsset(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'method not allowed');
  let relative: string;
  try {
    relative = decodeURIComponent(new URL(req.url ?? '/', 'http://app').pathname);
  } catch {
    return fail(res, 400, 'bad path');
  }
  const file = await realpath(join(root, relative)).catch(() => null);
  if (!file || !file.startsWith(root + sep)) return fail(res, 404, 'not found');
  const body = await readFile(file).catch(() => null);
  if (!body) return fail(res, 404, 'not found');
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function agentHtml(config: FakeHostConfig): string {
  // JSON inside <script>: `<` escaped so no value can close the element.
  const json = JSON.stringify(config).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Fake Zendesk agent page</title>
<style>
body{margin:0;font:14px/1.4 system-ui,sans-serif;background:#f8f9f9;color:#2f3941}
.fz-top-bar{display:flex;align-items:center;gap:12px;height:48px;padding:0 16px;background:#03363d;color:#fff}
.fz-brand{flex:1;font-weight:700}
.fz-popover{position:absolute;top:52px;right:16px;background:#fff;box-shadow:0 4px 16px rgba(0,0,0,.25);border-radius:4px}
.fz-popover iframe{display:block;border:0;width:320px;height:520px}
.fz-workspace{display:flex;justify-content:flex-end;padding:16px}
.fz-sidebar iframe{border:0;width:320px;height:200px;background:#fff}
.fz-notifications{position:fixed;bottom:8px;left:8px;margin:0;padding:0;list-style:none}
.fz-notifications li{margin-top:4px;padding:6px 10px;background:#fff;border-left:4px solid #1f73b7}
</style>
<script type="application/json" id="fake-zendesk-config">${json}</script>
<script src="/fake-host.js" defer></script>
</head>
<body></body>
</html>
`;
}

function expandWhitelist(list: readonly string[], settings: Readonly<Record<string, unknown>>): string[] {
  return list.map((entry) => entry.replace(/\{\{\s*setting\.([A-Za-z0-9_]+)\s*\}\}/g, (_m, name: string) => String(settings[name] ?? '')))
    .map((host) => host.trim().toLowerCase())
    .filter((host) => host !== '');
}

function defaultWhitelist(settings: Readonly<Record<string, unknown>>): string[] {
  const bridge = settings['bridge_url'];
  if (typeof bridge !== 'string') return [];
  try {
    return [new URL(bridge).hostname];
  } catch {
    return [];
  }
}

function fail(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(message);
}

function listen(server: Server): Promise<Server> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolveListen(server));
  });
}

function origin(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolveClose) => server.close(() => resolveClose()));
}
