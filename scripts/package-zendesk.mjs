#!/usr/bin/env node
/**
 * Builds the Zendesk Marketplace package of the Zendesk connector: a zip with manifest.json, translations/ and
 * assets/ at its root (what `zcli apps:package` uploads), made from manifests/zendesk/ plus the three browser bundles
 * of connectors/zendesk/dist/ copied into assets/. The package is checked against Zendesk's documented rules
 * (scripts/zendesk-app-rules.mjs) before and after zipping, since `zcli apps:validate` needs Zendesk's servers.
 *
 *   node scripts/package-zendesk.mjs [--out FILE] [--bundles DIR] [--app DIR]
 *     --out      the zip to write (default .tmp/zendesk/sambung-zendesk.zip)
 *     --bundles  where top-bar.js, background.js and sidebar.js are (default connectors/zendesk/dist, built with
 *                scripts/build-zendesk.mjs when missing; an explicit DIR is never built)
 *     --app      the app folder (default manifests/zendesk)
 *   node scripts/package-zendesk.mjs --logos [--app DIR]
 *     (re)draws assets/logo.png (320×320) and assets/logo-small.png (128×128), the documented Marketplace sizes.
 *
 * Prints the zip's path and size; exits 1 on any broken rule or missing file, 2 on a bad command line.
 *
 * Importable too (types in package-zendesk.d.mts): `buildZendeskPackage()` makes the same checked zip in memory,
 * without writing anything, for tests that unpack it and serve it (e.g. with `zcli apps:server`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { unzipSync, zipSync } from 'fflate';
import { formatIssues, validateZendeskApp } from './zendesk-app-rules.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLES = ['top-bar.js', 'background.js', 'sidebar.js'];
/** A fixed timestamp (local 1980-01-01, the zip format's epoch) so the same inputs give the same bytes. */
const ZIP_MTIME = new Date(1980, 0, 1, 12, 0, 0);

/** A failure the script reports and exits on: 2 for a bad command line, 1 for anything else. */
export class PackagingError extends Error {
  constructor(message, { usage = false } = {}) {
    super(message);
    this.name = 'PackagingError';
    this.exitCode = usage ? 2 : 1;
  }
}

if (isEntryPoint()) main();

function main() {
  try {
    const options = parseArgs(process.argv.slice(2));
    if (options.logos) writeLogos(options.app);
    else packageApp(options);
  } catch (error) {
    if (!(error instanceof PackagingError)) throw error;
    console.error(`✗ ${error.message}`);
    process.exitCode = error.exitCode;
  }
}

/** Run as `node scripts/package-zendesk.mjs` (directly or through a symlink), not imported. */
function isEntryPoint() {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

function parseArgs(argv) {
  const options = {
    out: join(root, '.tmp/zendesk/sambung-zendesk.zip'),
    bundles: undefined,
    app: join(root, 'manifests/zendesk'),
    logos: false,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    if (flag === '--logos') {
      options.logos = true;
      continue;
    }
    const key = { '--out': 'out', '--bundles': 'bundles', '--app': 'app' }[flag];
    const value = argv[i + 1];
    if (!key || value === undefined || value.startsWith('--')) {
      throw new PackagingError(`unknown or incomplete option "${flag}" (see the header of this script)`, { usage: true });
    }
    options[key] = resolve(value);
    i += 1;
  }
  return options;
}

function packageApp({ out, bundles, app }) {
  const { zip, fileCount } = buildZendeskPackage({ bundles, app });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, zip);
  const shown = relative(root, out).startsWith('..') || isAbsolute(relative(root, out)) ? out : relative(root, out);
  const kib = (zip.length / 1024).toFixed(1);
  console.log(`✓ ${shown}  ${zip.length} bytes (${kib} KiB, ${fileCount} files)`);
}

/**
 * The package as `npm run package:zendesk` makes it, in memory: the app folder plus the three bundles in assets/,
 * checked against Zendesk's rules before and after zipping. Writes nothing (the bundles are built first only when
 * `bundles` is not given and some are missing from connectors/zendesk/dist).
 *
 * @param {{ bundles?: string, app?: string }} [options]
 * @returns {{ zip: Uint8Array, fileCount: number }}
 * @throws {PackagingError} a missing file or bundle, or a broken rule (listed on stderr).
 */
export function buildZendeskPackage({ bundles, app = join(root, 'manifests/zendesk') } = {}) {
  const files = collectApp(app);
  for (const [name, code] of Object.entries(readBundles(bundles))) {
    const path = `assets/${name}`;
    if (files[path]) throw new PackagingError(`${path} exists in ${app} and would be overwritten by the bundle`);
    files[path] = code;
  }
  failOn(validateZendeskApp(files), 'the app');

  const sorted = Object.fromEntries(Object.keys(files).sort().map((path) => [path, files[path]]));
  const zip = zipSync(sorted, { level: 9, mtime: ZIP_MTIME });
  failOn(validateZendeskApp(unzipSync(zip), { zipSize: zip.length }), 'the zip');
  return { zip, fileCount: Object.keys(files).length };
}

/** manifest.json, requirements.json when present, and everything under translations/ and assets/. */
function collectApp(app) {
  if (!existsSync(join(app, 'manifest.json'))) throw new PackagingError(`no manifest.json in ${app}`);
  /** @type {Record<string, Uint8Array>} */
  const files = {};
  for (const name of ['manifest.json', 'requirements.json']) {
    if (existsSync(join(app, name))) files[name] = readFileSync(join(app, name));
  }
  for (const folder of ['translations', 'assets']) {
    for (const path of walk(join(app, folder))) files[relative(app, path).split('\\').join('/')] = readFileSync(path);
  }
  return files;
}

function walk(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** The three bundles, with their source-map comment dropped: maps are not shipped. */
function readBundles(explicitDir) {
  const dir = explicitDir ?? join(root, 'connectors/zendesk/dist');
  const missing = () => BUNDLES.filter((name) => !existsSync(join(dir, name)));
  if (explicitDir === undefined && missing().length > 0) {
    const build = join(root, 'scripts/build-zendesk.mjs');
    if (!existsSync(build)) {
      throw new PackagingError(`bundles missing in ${dir} and scripts/build-zendesk.mjs does not exist`);
    }
    console.log(`… building the Zendesk bundles (${missing().join(', ')} missing)`);
    const run = spawnSync(process.execPath, [build], { cwd: root, stdio: 'inherit' });
    if (run.status !== 0) {
      throw new PackagingError(`scripts/build-zendesk.mjs failed (exit ${run.status ?? run.signal})`);
    }
  }
  if (missing().length > 0) throw new PackagingError(`missing bundle(s) in ${dir}: ${missing().join(', ')}`);
  return Object.fromEntries(BUNDLES.map((name) => {
    const code = readFileSync(join(dir, name), 'utf8').replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n');
    return [name, new TextEncoder().encode(code)];
  }));
}

function failOn(issues, what) {
  if (issues.length === 0) return;
  console.error(formatIssues(issues));
  throw new PackagingError(`${what} breaks ${issues.length} Zendesk rule(s)`);
}

// ── Logos: an "S" monogram on a teal square, drawn with anti-aliasing and encoded as 8-bit RGBA PNGs. ──

function writeLogos(app) {
  for (const [name, size] of [['logo.png', 320], ['logo-small.png', 128]]) {
    const path = join(app, 'assets', name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, encodePng(size, size, drawMonogram(size)));
    console.log(`✓ ${relative(root, path)}  ${size}×${size}`);
  }
}

/** RGBA pixels of a white "S" (two ¾ rings of one stroke, round ends) on a #0E7C66 square without rounded corners. */
function drawMonogram(size) {
  const background = [0x0e, 0x7c, 0x66];
  const stroke = 0.13;
  const r = 0.155;
  const arcs = [
    { cx: 0.5, cy: 0.5 - r, from: 90, to: 330 }, // upper bowl: middle → left → top → upper-right end
    { cx: 0.5, cy: 0.5 + r, from: -90, to: 150 }, // lower bowl: middle → right → bottom → lower-left end
  ];
  const rad = (degrees) => (degrees * Math.PI) / 180;
  // Distance to the nearer arc: to the ring where the angle falls inside the arc, else to the nearer end.
  const distance = (x, y) => Math.min(...arcs.map(({ cx, cy, from, to }) => {
    const angle = ((((Math.atan2(y - cy, x - cx) * 180) / Math.PI - from) % 360) + 360) % 360 + from;
    if (angle <= to) return Math.abs(Math.hypot(x - cx, y - cy) - r);
    return Math.min(...[from, to].map((a) => Math.hypot(x - cx - r * Math.cos(rad(a)), y - cy - r * Math.sin(rad(a)))));
  }));
  const samples = 4;
  const pixels = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let covered = 0;
      for (let sy = 0; sy < samples; sy += 1) {
        for (let sx = 0; sx < samples; sx += 1) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          if (distance(x, y) <= stroke / 2) covered += 1;
        }
      }
      const t = covered / (samples * samples);
      const i = (py * size + px) * 4;
      for (let c = 0; c < 3; c += 1) pixels[i + c] = Math.round(background[c] * (1 - t) + 255 * t);
      pixels[i + 3] = 255;
    }
  }
  return pixels;
}

/** PNG (RFC 2083): signature, IHDR (8-bit RGBA), one zlib IDAT of unfiltered scanlines, IEND. */
function encodePng(width, height, rgba) {
  const raw = new Uint8Array((width * 4 + 1) * height);
  const row = width * 4;
  for (let y = 0; y < height; y += 1) raw.set(rgba.subarray(y * row, (y + 1) * row), y * (row + 1) + 1); // filter 0
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 6, 0, 0, 0], 8);
  const parts = [Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0))];
  return Buffer.concat(parts);
}

function chunk(type, data) {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k += 1) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}
