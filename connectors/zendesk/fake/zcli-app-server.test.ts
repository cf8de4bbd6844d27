/**
 * The real `zcli apps:server` (the devDependency, offline) on a copy of manifests/zendesk, and stand-in scripts for
 * the failures zcli itself cannot be made to show on demand (hanging, serving a broken app.json).
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SambungError } from '../../../bridge-server/src/errors.js';
import { startZcliAppServer, ZcliAppServerError, type ZcliAppServer } from './zcli-app-server.js';
import { ZcliInstallationError } from './zcli-installation.js';

const here = dirname(fileURLToPath(import.meta.url));
const APP = join(here, '../../../manifests/zendesk');
const PARAMETERS = { bridge_url: 'https://bridge.example/', bridge_host: 'bridge.example', tenant: 'demo', tenant_key: 'sbk_zcli_test_key' };

let tmp: string;
let appDir: string;
const servers: ZcliAppServer[] = [];

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'zcli-app-server-'));
  appDir = join(tmp, 'app');
  cpSync(APP, appDir, { recursive: true });
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  rmSync(tmp, { recursive: true, force: true });
});

const start = async (options: Partial<Parameters<typeof startZcliAppServer>[0]> = {}): Promise<ZcliAppServer> => {
  const server = await startZcliAppServer({ appDir, parameters: PARAMETERS, ...options });
  servers.push(server);
  return server;
};

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** Command lines of every process on this machine that runs oclif's background version check. */
function versionChecks(): string[] {
  return readdirSync('/proc').filter((pid) => /^\d+$/.test(pid)).flatMap((pid) => {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return command.includes('get-version') ? [command] : [];
    } catch {
      return [];
    }
  });
}

async function rejection(promise: Promise<unknown>): Promise<SambungError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof SambungError)) throw new Error(`expected a SambungError, got ${String(error)}`);
  return error;
}

/** A node script standing in for zcli: records its pid, prints a line, then runs `body`. */
function fakeZcli(body: string): string {
  const path = join(tmp, `fake-zcli-${Math.random().toString(36).slice(2)}.cjs`);
  writeFileSync(path, `const [, , , dir, , port] = process.argv;
require('node:fs').writeFileSync(require('node:path').join(dir, 'fake.pid'), String(process.pid));
console.log('fake zcli booting');
${body}
`);
  return path;
}

const fakePid = (): number => Number(readFileSync(join(appDir, 'fake.pid'), 'utf8'));

describe('startZcliAppServer with the real zcli', () => {
  it('serves the app’s app.json and assets on localhost the way Zendesk reads them', async () => {
    const server = await start();
    expect(server.url).toMatch(/^http:\/\/localhost:\d+$/);
    expect(server.output).toContain(`Apps server is running on ${server.url}`);
    const [app] = server.appJson.apps;
    expect(app).toMatchObject({ name: 'Sambung', id: '0', asset_url_prefix: `${server.url}/0/assets/` });
    expect(server.appJson.installations[0]!.settings).toEqual([
      { title: 'Sambung' }, ...Object.entries(PARAMETERS).map(([name, value]) => ({ [name]: value })),
    ]);

    const page = await fetch(`${app!.asset_url_prefix}top_bar.html`);
    expect(page.status).toBe(200);
    expect(page.headers.get('access-control-allow-origin')).toBe('*');
    expect(await page.text()).toContain('top-bar.js');

    // The config zcli read: the parameters, readable by this user only.
    const config = join(appDir, 'zcli.apps.config.json');
    expect(JSON.parse(readFileSync(config, 'utf8'))).toEqual({ parameters: PARAMETERS });
    expect(statSync(config).mode & 0o077).toBe(0);
  });

  it('starts no background registry lookup (oclif’s update check)', async () => {
    await start();
    expect(versionChecks()).toEqual([]);
  });

  it('stops zcli on close, waits for it, removes the config it wrote, and can be closed twice', async () => {
    const server = await start({ port: undefined });
    expect(alive(server.pid)).toBe(true);
    await Promise.all([server.close(), server.close()]);
    expect(alive(server.pid)).toBe(false);
    expect(existsSync(join(appDir, 'zcli.apps.config.json'))).toBe(false);
    await expect(fetch(`${server.url}/app.json`)).rejects.toThrow();
    await server.close();
  });

  it('puts back a zcli.apps.config.json the folder already had', async () => {
    const mine = '{"parameters":{"tenant":"mine"},"app_id":123}\n';
    writeFileSync(join(appDir, 'zcli.apps.config.json'), mine);
    const server = await start();
    expect(server.appJson.installations[0]!.settings).toContainEqual({ tenant: 'demo' });
    await server.close();
    expect(readFileSync(join(appDir, 'zcli.apps.config.json'), 'utf8')).toBe(mine);
  });

  it('refuses to start zcli without a value for every manifest parameter (zcli would prompt on stdin)', async () => {
    const { tenant_key: _omitted, tenant: _optional, ...partial } = PARAMETERS;
    const error = await rejection(start({ parameters: partial }));
    expect(error).toBeInstanceOf(ZcliAppServerError);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe('zcli apps:server needs a value for every manifest parameter; missing: tenant, tenant_key');
    expect(existsSync(join(appDir, 'zcli.apps.config.json'))).toBe(false);
  });

  it('reports zcli’s own words when it exits early: a folder that is no app', async () => {
    rmSync(join(appDir, 'manifest.json'));
    const error = await rejection(start());
    expect(error).toBeInstanceOf(ZcliAppServerError);
    expect(error.code).toBe('CLOSED');
    expect(error.message).toMatch(/^zcli apps:server exited with code \d+ before serving app\.json:\n/);
    expect(error.message).toContain(`Invalid app path: ${appDir}`);
    expect(existsSync(join(appDir, 'zcli.apps.config.json'))).toBe(false);
  });

  it('reports a port already taken', async () => {
    const taken: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => taken.listen(0, 'localhost', resolve));
    try {
      const port = (taken.address() as { port: number }).port;
      const error = await rejection(start({ port }));
      expect(error.code).toBe('CLOSED');
      expect(error.message).toContain('EADDRINUSE');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});

describe('startZcliAppServer when zcli misbehaves', () => {
  it('gives up after the start timeout with what zcli printed, and kills it', async () => {
    const error = await rejection(start({ zcliBin: fakeZcli('setInterval(() => {}, 1000);'), startTimeoutMs: 300 }));
    expect(error).toBeInstanceOf(ZcliAppServerError);
    expect(error.code).toBe('TRANSACTION_TIMEOUT');
    expect(error.message).toMatch(/^zcli apps:server did not serve app\.json within 300 ms \(last: .*ECONNREFUSED.*\):\n {2}fake zcli booting$/);
    expect(alive(fakePid())).toBe(false);
    expect(existsSync(join(appDir, 'zcli.apps.config.json'))).toBe(false);
  });

  it('refuses an app.json it cannot read, and kills the server that sent it', async () => {
    const bin = fakeZcli(`require('node:http').createServer((req, res) => res.end(JSON.stringify({ apps: 'none' }))).listen(Number(port), 'localhost');`);
    const error = await rejection(start({ zcliBin: bin }));
    expect(error).toBeInstanceOf(ZcliInstallationError);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(/^zcli app\.json is malformed:\n {2}apps: /);
    expect(alive(fakePid())).toBe(false);
  });

  it('keeps polling past an error status, and says so when it times out', async () => {
    const bin = fakeZcli(`require('node:http').createServer((req, res) => { res.statusCode = 503; res.end(); }).listen(Number(port), 'localhost');`);
    const error = await rejection(start({ zcliBin: bin, startTimeoutMs: 500 }));
    expect(error.code).toBe('TRANSACTION_TIMEOUT');
    expect(error.message).toContain('(last: HTTP 503)');
    expect(alive(fakePid())).toBe(false);
  });

  it('reports a zcli that cannot be found', async () => {
    const error = await rejection(start({ zcliBin: join(tmp, 'no-such-zcli') }));
    expect(error.code).toBe('CLOSED');
    expect(error.message).toContain('Cannot find module');
  });
});
