/**
 * Runs Zendesk's own development server, `zcli apps:server`, on an unpacked app, so tests can load the app the
 * way Zendesk does with `?zcli_apps=true` ("Using ZCLI", developer.zendesk.com/documentation/apps/getting-started/
 * using-zcli/). It works offline: zcli (`@zendesk/zcli-apps` `commands/apps/server`) builds `GET /app.json` from
 * the folder's manifest.json and `zcli.apps.config.json`, and serves `assets/` under `/<app id>/assets/`, with
 * `Access-Control-Allow-Origin: *`, on `localhost:<port>`.
 *
 * What zcli does that a test must not let it do, and how this module prevents it:
 * - any manifest parameter missing from `zcli.apps.config.json` is asked for on stdin — the config file is always
 *   written, every manifest parameter is required up front, and zcli gets no stdin;
 * - its oclif plugin `warn-if-update-available` spawns a detached `get-version` process that asks the npm registry
 *   for zcli's latest version whenever `<cache dir>/version` is missing or stale — zcli gets its own cache folder
 *   (`ZCLI_CACHE_DIR`, oclif's scoped variable) with a fresh, empty `version` file, so nothing is spawned;
 * - it writes every setting, secure ones included, into `app.json` in clear: node reads it, the browser never
 *   should (see `zcli-installation.ts`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SambungError } from '../../../bridge-server/src/errors.js';
import { parseZcliAppJson, type ZcliAppJson } from './zcli-installation.js';

export interface ZcliAppServerOptions {
  /** An unpacked app: `manifest.json`, `assets/`, `translations/` at its root (what the package zip holds). */
  readonly appDir: string;
  /** The installation's settings: a value for every manifest parameter, secure ones included. */
  readonly parameters: Readonly<Record<string, string | number | boolean>>;
  /** Port to serve on; a free one by default. */
  readonly port?: number;
  /** How long zcli may take to answer `GET /app.json` with 200 (default 30 s). */
  readonly startTimeoutMs?: number;
  /** The zcli executable (a node script); defaults to this repository's `node_modules/.bin/zcli`. */
  readonly zcliBin?: string;
}

export interface ZcliAppServer {
  /** `http://localhost:<port>`: the origin zcli serves and names in `asset_url_prefix`. */
  readonly url: string;
  /** `GET <url>/app.json`, validated. Holds every setting in clear: keep it out of the browser. */
  readonly appJson: ZcliAppJson;
  /** The zcli process. */
  readonly pid: number;
  /** What zcli printed (stdout and stderr, colours off), for diagnosis. */
  readonly output: string;
  /** Stops zcli and waits for it to exit (SIGTERM, then SIGKILL), removes the config file written. Idempotent. */
  close(): Promise<void>;
}

/** zcli did not come up: it could not be spawned, exited, or did not serve app.json in time. */
export class ZcliAppServerError extends SambungError {
  static missingParameters(names: readonly string[]): ZcliAppServerError {
    return new ZcliAppServerError('CONFIG_INVALID', `zcli apps:server needs a value for every manifest parameter; missing: ${names.join(', ')}`, {
      detail: { missing: [...names] },
    });
  }
  static exited(how: string, output: string): ZcliAppServerError {
    return new ZcliAppServerError('CLOSED', `zcli apps:server ${how} before serving app.json:\n${shown(output)}`, { detail: { output } });
  }
  static timedOut(ms: number, lastProblem: string, output: string): ZcliAppServerError {
    return new ZcliAppServerError('TRANSACTION_TIMEOUT',
      `zcli apps:server did not serve app.json within ${ms} ms (last: ${lastProblem}):\n${shown(output)}`, { detail: { output } });
  }
}

const here = dirname(fileURLToPath(import.meta.url));
const DEFAULT_ZCLI = resolve(here, '../../../node_modules/.bin/zcli');
const CONFIG_FILE = 'zcli.apps.config.json';
const OUTPUT_LIMIT = 64 * 1024;
const POLL_MS = 100;
const STOP_GRACE_MS = 5_000;

/**
 * Writes `zcli.apps.config.json` (`{ "parameters": … }`) into `appDir`, starts `zcli apps:server <appDir> --port
 * <port>` there and resolves once `GET <url>/app.json` answers 200 with a valid app.json. On any failure the zcli
 * process is stopped before the promise rejects; a zcli still running when node exits is killed.
 *
 * @throws {ZcliAppServerError} missing parameters (`CONFIG_INVALID`), zcli exited (`CLOSED`) or too slow
 *   (`TRANSACTION_TIMEOUT`), each with zcli's output.
 * @throws {ZcliInstallationError} zcli served an app.json this fake cannot read.
 */
export async function startZcliAppServer(options: ZcliAppServerOptions): Promise<ZcliAppServer> {
  const appDir = resolve(options.appDir);
  await requireParameters(appDir, options.parameters);
  const configPath = join(appDir, CONFIG_FILE);
  const previousConfig = await readFile(configPath).catch(() => null);
  const home = await mkdtemp(join(tmpdir(), 'zcli-home-'));
  const restore = async (): Promise<void> => {
    if (previousConfig) await writeFile(configPath, previousConfig);
    else await rm(configPath, { force: true });
    await rm(home, { recursive: true, force: true });
  };

  let zcliProcess: ZcliProcess;
  try {
    // Recreated, so that the file holding secure settings is readable by this user only whatever it was before.
    await rm(configPath, { force: true });
    await writeFile(configPath, `${JSON.stringify({ parameters: options.parameters }, null, 2)}\n`, { mode: 0o600 });
    // An existing, fresh `version` cache without a `latest` tag: no update warning, no registry lookup spawned.
    await writeFile(join(home, 'version'), '{}\n');
    const port = options.port ?? (await freePort());
    zcliProcess = startProcess(options.zcliBin ?? DEFAULT_ZCLI, appDir, port, home);
  } catch (error) {
    await restore();
    throw error;
  }
  const url = `http://localhost:${zcliProcess.port}`;
  try {
    const appJson = await waitForAppJson(zcliProcess, url, options.startTimeoutMs ?? 30_000);
    let closing: Promise<void> | undefined;
    return {
      url,
      appJson,
      pid: zcliProcess.child.pid!,
      get output() {
        return zcliProcess.output();
      },
      close: () => (closing ??= zcliProcess.stop().finally(restore)),
    };
  } catch (error) {
    await zcliProcess.stop();
    await restore();
    throw error;
  }
}

interface ZcliProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** Settles with how the process ended (`exited with code 2`), never rejects. */
  readonly exited: Promise<string>;
  output(): string;
  stop(): Promise<void>;
}

function startProcess(bin: string, appDir: string, port: number, home: string): ZcliProcess {
  const child = spawn(process.execPath, [bin, 'apps:server', appDir, '--port', String(port)], {
    cwd: appDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NO_COLOR: '1',
      FORCE_COLOR: '0',
      ZCLI_CACHE_DIR: home,
      ZCLI_CONFIG_DIR: join(home, 'config'),
      ZCLI_DATA_DIR: join(home, 'data'),
    },
  });
  let output = '';
  const collect = (chunk: Buffer): void => {
    if (output.length < OUTPUT_LIMIT) output += chunk.toString('utf8');
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  // Whatever happens to the test, zcli does not outlive this node process.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<string>((settle) => {
    child.once('error', (error) => settle(`could not be started (${error.message})`));
    // 'close', not 'exit': by then its output has been read to the end, so an error can quote all of it.
    child.once('close', (code, signal) => settle(signal ? `was killed by ${signal}` : `exited with code ${code}`));
  }).finally(() => process.off('exit', killOnExit));
  return {
    child,
    port,
    exited,
    output: () => output.replace(/\u001b\[[0-9;]*m/g, ''),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return void (await exited);
      child.kill('SIGTERM');
      const grace = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(grace);
    },
  };
}

async function waitForAppJson(zcli: ZcliProcess, url: string, timeoutMs: number): Promise<ZcliAppJson> {
  let ended: string | undefined;
  void zcli.exited.then((how) => (ended = how));
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer yet';
  for (;;) {
    if (ended !== undefined) throw ZcliAppServerError.exited(ended, zcli.output());
    const response = await fetch(`${url}/app.json`, { signal: AbortSignal.timeout(2_000) }).catch((error: unknown) => {
      lastProblem = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      return null;
    });
    if (response?.status === 200) {
      const body: unknown = await response.json().catch(() => undefined);
      // Someone else's server on our port, answering for a zcli that already died: not ours.
      if (ended !== undefined) throw ZcliAppServerError.exited(ended, zcli.output());
      return parseZcliAppJson(body);
    }
    if (response) {
      lastProblem = `HTTP ${response.status}`;
      await response.body?.cancel();
    }
    if (Date.now() >= deadline) throw ZcliAppServerError.timedOut(timeoutMs, lastProblem, zcli.output());
    await Promise.race([new Promise((wake) => setTimeout(wake, POLL_MS)), zcli.exited]);
  }
}

/** zcli would prompt on stdin for any manifest parameter without a value; refuse before starting it instead. */
async function requireParameters(appDir: string, parameters: Readonly<Record<string, unknown>>): Promise<void> {
  const manifest = await readFile(join(appDir, 'manifest.json'), 'utf8').then((text) => JSON.parse(text) as unknown, () => null);
  if (typeof manifest !== 'object' || manifest === null) return; // zcli reports a missing or broken manifest itself
  const declared = (manifest as { parameters?: unknown }).parameters;
  const names = Array.isArray(declared)
    ? declared.map((parameter: unknown) => (parameter as { name?: unknown } | null)?.name).filter((name): name is string => typeof name === 'string')
    : [];
  const missing = names.filter((name) => !Object.prototype.hasOwnProperty.call(parameters, name));
  if (missing.length > 0) throw ZcliAppServerError.missingParameters(missing);
}

/** A port free on `localhost` now (zcli binds there); zcli exits with EADDRINUSE should another take it first. */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, 'localhost', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

function shown(output: string): string {
  const text = output.trim();
  return text === '' ? '  (zcli printed nothing)' : text.split('\n').map((line) => `  ${line}`).join('\n');
}
