import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIMITS, readPngHeader, validateZendeskApp } from '../../../scripts/zendesk-app-rules.mjs';

type Files = Record<string, Uint8Array>;
/** JSON the fixtures edit: whatever manifest.json or a translation file holds, reached into by path. */
type Json = any;

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const appDir = join(root, 'manifests/zendesk');
const script = join(root, 'scripts/package-zendesk.mjs');
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const BUNDLES = ['top-bar.js', 'background.js', 'sidebar.js'];

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'sambung-zendesk-'));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function writeBundles(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const name of BUNDLES) {
    writeFileSync(join(dir, name), `(()=>{window.bundle=${JSON.stringify(name)}})();\n//# sourceMappingURL=${name}.map\n`);
  }
}

function runPackager(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [script, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The committed app folder plus stub bundles, as the packaging script lays it out in the zip. */
function appFiles(): Files {
  const files: Files = {};
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
  for (const path of walk(appDir)) files[relative(appDir, path).split('\\').join('/')] = readFileSync(path);
  for (const name of BUNDLES) files[`assets/${name}`] = encoder.encode(`console.log(${JSON.stringify(name)});\n`);
  return files;
}

function withJson(files: Files, path: string, edit: (json: Json) => void): Files {
  const json: Json = JSON.parse(decoder.decode(files[path]));
  edit(json);
  return { ...files, [path]: encoder.encode(JSON.stringify(json)) };
}

const withManifest = (edit: (manifest: Json) => void) => (files: Files) => withJson(files, 'manifest.json', edit);
const withText = (path: string, content: string) => (files: Files) => ({ ...files, [path]: encoder.encode(content) });
const without = (path: string) => (files: Files) => {
  const { [path]: _removed, ...rest } = files;
  return rest;
};
const param = (name: string) => (m: Json) => m.parameters.find((p: Json) => p.name === name);
const codes = (files: Files, zipSize?: number) => validateZendeskApp(files, zipSize === undefined ? {} : { zipSize }).map((i) => i.code);

describe('package-zendesk.mjs', () => {
  it('writes a zip with manifest.json, translations/ and assets/ at its root that passes every rule', () => {
    writeBundles(join(tmp, 'bundles'));
    const out = join(tmp, 'out', 'sambung-zendesk.zip');
    const run = runPackager('--out', out, '--bundles', join(tmp, 'bundles'));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const zip = readFileSync(out);
    expect(run.stdout).toContain(out);
    expect(run.stdout).toContain(`${zip.length} bytes`);

    const files = unzipSync(zip);
    expect(Object.keys(files).sort()).toEqual([
      'assets/background.html', 'assets/background.js', 'assets/icon_top_bar.svg', 'assets/logo-small.png',
      'assets/logo.png', 'assets/sidebar.html', 'assets/sidebar.js', 'assets/top-bar.js', 'assets/top_bar.html',
      'manifest.json', 'translations/en.json', 'translations/id.json',
    ]);
    expect(validateZendeskApp(files, { zipSize: zip.length })).toEqual([]);
    expect(decoder.decode(files['manifest.json'])).toBe(readFileSync(join(appDir, 'manifest.json'), 'utf8'));
    expect(decoder.decode(files['assets/top-bar.js'])).toBe('(()=>{window.bundle="top-bar.js"})();\n');
  });

  it('gives byte-identical zips for the same inputs', () => {
    writeBundles(join(tmp, 'bundles'));
    expect(runPackager('--out', join(tmp, 'a.zip'), '--bundles', join(tmp, 'bundles')).status).toBe(0);
    expect(runPackager('--out', join(tmp, 'b.zip'), '--bundles', join(tmp, 'bundles')).status).toBe(0);
    expect(readFileSync(join(tmp, 'a.zip')).equals(readFileSync(join(tmp, 'b.zip')))).toBe(true);
  });

  it('exits 1 naming the missing bundle, and writes nothing', () => {
    writeBundles(join(tmp, 'bundles'));
    unlinkSync(join(tmp, 'bundles', 'sidebar.js'));
    const run = runPackager('--out', join(tmp, 'pkg.zip'), '--bundles', join(tmp, 'bundles'));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('sidebar.js');
    expect(existsSync(join(tmp, 'pkg.zip'))).toBe(false);
  });

  it('exits 1 with the rule code when the app breaks a rule, and writes nothing', () => {
    writeBundles(join(tmp, 'bundles'));
    cpSync(appDir, join(tmp, 'app'), { recursive: true });
    const manifestPath = join(tmp, 'app', 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.location.support.top_bar.size.width = '450px';
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const run = runPackager('--out', join(tmp, 'pkg.zip'), '--bundles', join(tmp, 'bundles'), '--app', join(tmp, 'app'));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('[top_bar_size_out_of_bounds]');
    expect(existsSync(join(tmp, 'pkg.zip'))).toBe(false);
  });

  it('exits 1 when a bundle would overwrite a file of the app folder', () => {
    writeBundles(join(tmp, 'bundles'));
    cpSync(appDir, join(tmp, 'app'), { recursive: true });
    writeFileSync(join(tmp, 'app', 'assets', 'top-bar.js'), 'stale');
    const run = runPackager('--out', join(tmp, 'pkg.zip'), '--bundles', join(tmp, 'bundles'), '--app', join(tmp, 'app'));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('assets/top-bar.js');
  });

  it('exits 1 when the zip is over the upload limit', () => {
    writeBundles(join(tmp, 'bundles'));
    // Random base64 barely compresses: ~3 MB of it zips to well over 2 MB.
    writeFileSync(join(tmp, 'bundles', 'top-bar.js'), `var blob="${randomBytes(2_300_000).toString('base64')}";\n`);
    const run = runPackager('--out', join(tmp, 'pkg.zip'), '--bundles', join(tmp, 'bundles'));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('[package_too_large]');
    expect(existsSync(join(tmp, 'pkg.zip'))).toBe(false);
  });

  it('exits 2 on an unknown option', () => {
    const run = runPackager('--zip', join(tmp, 'pkg.zip'));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--zip');
  });

  it('redraws the committed logos byte for byte with --logos', () => {
    const run = runPackager('--logos', '--app', join(tmp, 'app'));
    expect(run.status).toBe(0);
    for (const name of ['logo.png', 'logo-small.png']) {
      expect(readFileSync(join(tmp, 'app', 'assets', name)).equals(readFileSync(join(appDir, 'assets', name)))).toBe(true);
    }
  });
});

describe('validateZendeskApp', () => {
  it('passes the committed app with its bundles', () => {
    expect(validateZendeskApp(appFiles())).toEqual([]);
  });

  const smallLogo = (files: Files) => ({ ...files, 'assets/logo.png': files['assets/logo-small.png'] });
  const rgbSmallLogo = (files: Files) => {
    const bytes = Uint8Array.from(files['assets/logo-small.png']);
    bytes[25] = 2; // IHDR colour type 2: truecolour without alpha
    return { ...files, 'assets/logo-small.png': bytes };
  };
  const nested = (files: Files) => Object.fromEntries(Object.entries(files).map(([p, b]) => [`sambung/${p}`, b]));
  const longText = (n: number) => 'x'.repeat(n);

  const broken: [string, string, (files: Files) => Files, number?][] = [
    ['a dotfile', 'forbidden_file', withText('assets/.DS_Store', 'x')],
    ['node_modules', 'forbidden_file', withText('node_modules/fflate/index.js', 'x')],
    ['a shell script', 'forbidden_file', withText('assets/install.sh', 'x')],
    ['a .txt asset', 'unsupported_asset_type', withText('assets/notes.txt', 'x')],
    ['a zip over 2 MB', 'package_too_large', (f) => f, LIMITS.maxZipBytes + 1],
    ['no manifest', 'missing_manifest', without('manifest.json')],
    ['the app in a folder of the zip', 'nested_manifest', nested],
    ['a manifest that is not JSON', 'manifest_not_json', withText('manifest.json', '{"name":')],
    ['a manifest that is an array', 'manifest_not_json', withText('manifest.json', '[]')],
    ['no author', 'missing_field', withManifest((m) => delete m.author)],
    ['no defaultLocale', 'missing_field', withManifest((m) => delete m.defaultLocale)],
    ['no frameworkVersion', 'missing_field', withManifest((m) => delete m.frameworkVersion)],
    ['no location', 'missing_field', withManifest((m) => delete m.location)],
    ['a string "private"', 'invalid_field_type', withManifest((m) => (m.private = 'yes'))],
    ['a numeric version', 'invalid_field_type', withManifest((m) => (m.version = 1))],
    ['parameters as an object', 'invalid_field_type', withManifest((m) => (m.parameters = {}))],
    ['domainWhitelist as a string', 'invalid_field_type', withManifest((m) => (m.domainWhitelist = 'example.com'))],
    ['an empty author email', 'invalid_author', withManifest((m) => (m.author.email = ''))],
    ['an ftp author url', 'invalid_author', withManifest((m) => (m.author.url = 'ftp://example.com'))],
    ['framework 1.0', 'invalid_framework_version', withManifest((m) => (m.frameworkVersion = '1.0'))],
    ['locale "english"', 'invalid_default_locale', withManifest((m) => (m.defaultLocale = 'english'))],
    ['a default locale without its file', 'missing_default_translation', withManifest((m) => (m.defaultLocale = 'fr'))],
    ['an unknown product', 'invalid_host', withManifest((m) => (m.location.salesforce = { top_bar: 'assets/top_bar.html' }))],
    ['legacy array locations', 'invalid_location', withManifest((m) => (m.location.support = ['top_bar']))],
    ['an unknown location', 'invalid_location', withManifest((m) => (m.location.support.call_bar = 'assets/top_bar.html'))],
    ['a location without url', 'blank_location_uri', withManifest((m) => delete m.location.support.ticket_sidebar.url)],
    ['a missing asset url', 'invalid_location_uri', withManifest((m) => (m.location.support.background = 'assets/bg.html'))],
    ['an http url', 'invalid_location_uri', withManifest((m) => (m.location.support.background = 'http://example.com/bg.html'))],
    ['an url leaving assets/', 'invalid_location_uri', withManifest((m) => (m.location.support.background = 'assets/../manifest.json'))],
    ['a string "flexible"', 'invalid_location_option', withManifest((m) => (m.location.support.user_sidebar.flexible = 'yes'))],
    ['a numeric size', 'invalid_location_size', withManifest((m) => (m.location.support.top_bar.size.width = 320))],
    ['a 450 px wide top bar', 'top_bar_size_out_of_bounds', withManifest((m) => (m.location.support.top_bar.size.width = '450px'))],
    ['a 400 px high top bar', 'top_bar_size_out_of_bounds', withManifest((m) => (m.location.support.top_bar.size.height = '400px'))],
    ['no top bar icon', 'missing_location_icon', without('assets/icon_top_bar.svg')],
    ['an icon without viewBox', 'invalid_svg_icon', withText('assets/icon_top_bar.svg', '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h9v9z"/></svg>')],
    ['symbols without a default', 'invalid_svg_icon', withText('assets/icon_top_bar.svg', '<svg><symbol id="a" viewBox="0 0 18 18"/></svg>')],
    ['an icon with onload', 'unsafe_svg', withText('assets/icon_top_bar.svg', '<svg viewBox="0 0 18 18" onload="alert(1)"/>')],
    ['an icon embedding a bitmap', 'unsafe_svg', withText('assets/icon_top_bar.svg', '<svg viewBox="0 0 18 18"><image href="x.png"/></svg>')],
    ['a parameter called "name"', 'invalid_parameter_name', withManifest((m) => m.parameters.push({ name: 'name' }))],
    ['a parameter without name', 'invalid_parameter_name', withManifest((m) => m.parameters.push({ type: 'text' }))],
    ['a parameter declared twice', 'duplicate_parameter', withManifest((m) => m.parameters.push({ name: 'bridge_url' }))],
    ['a "dropdown" parameter', 'invalid_parameter_type', withManifest((m) => (param('bridge_url')(m).type = 'dropdown'))],
    ['a string "required"', 'invalid_parameter_flag', withManifest((m) => (param('bridge_url')(m).required = 'true'))],
    ['a required hidden parameter', 'hidden_parameter_required', withManifest((m) => m.parameters.push({ name: 'h', type: 'hidden', required: true }))],
    ['a default on a secure parameter', 'secure_parameter_default', withManifest((m) => (param('tenant_key')(m).default = 'demo'))],
    ['tenant_key not secure', 'insecure_token_parameter', withManifest((m) => (param('tenant_key')(m).secure = false))],
    ['a secure oauth parameter', 'oauth_parameter_secure', withManifest((m) => m.parameters.push({ name: 'o', type: 'oauth', secure: true }))],
    ['two oauth parameters', 'too_many_oauth_parameters', withManifest((m) => m.parameters.push({ name: 'o1', type: 'oauth' }, { name: 'o2', type: 'oauth' }))],
    ['secure settings without a whitelist', 'missing_domain_whitelist', withManifest((m) => delete m.domainWhitelist)],
    ['a whitelisted URL', 'invalid_whitelist_domain', withManifest((m) => (m.domainWhitelist = ['https://bridge.example.com']))],
    ['a whitelisted path', 'invalid_whitelist_domain', withManifest((m) => (m.domainWhitelist = ['bridge.example.com/api']))],
    ['a whitelisted secure setting', 'invalid_whitelist_domain', withManifest((m) => (m.domainWhitelist = ['{{setting.tenant_key}}']))],
    ['a whitelisted undeclared setting', 'invalid_whitelist_domain', withManifest((m) => (m.domainWhitelist = ['{{setting.host}}']))],
    ['a translation file not named by locale', 'invalid_translation_file', withText('translations/english.json', '{}')],
    ['a translation that is not JSON', 'translation_not_json', withText('translations/id.json', '{')],
    ['a translation that is a string', 'translation_not_json', withText('translations/id.json', '"hello"')],
    ['an UI string missing in id', 'missing_translation', (f) => withJson(f, 'translations/id.json', (j) => delete j.softphone.answer)],
    ['a setting help text missing', 'missing_translation', (f) => withJson(f, 'translations/en.json', (j) => delete j.app.parameters.tenant_key.helpText)],
    ['a new setting without labels', 'missing_translation', withManifest((m) => m.parameters.push({ name: 'region', type: 'text' }))],
    ['an empty long description', 'missing_translation', (f) => withJson(f, 'translations/en.json', (j) => (j.app.long_description = ' '))],
    ['a 41-character name', 'translation_too_long', (f) => withJson(f, 'translations/en.json', (j) => (j.app.name = longText(41)))],
    ['an 81-character short description', 'translation_too_long', (f) => withJson(f, 'translations/id.json', (j) => (j.app.short_description = longText(81)))],
    ['no logo.png', 'missing_asset', without('assets/logo.png')],
    ['no logo-small.png', 'missing_asset', without('assets/logo-small.png')],
    ['a logo that is not a PNG', 'invalid_png', withText('assets/logo.png', 'GIF89a')],
    ['a 128 px logo.png', 'wrong_png_size', smallLogo],
    ['a small logo without alpha', 'logo_not_rgba', rgbSmallLogo],
    ['a page loading a missing script', 'broken_asset_reference', withText('assets/top_bar.html', '<div id="app"></div><script src="softphone.js"></script>')],
    ['a page loading a stylesheet outside the zip', 'broken_asset_reference', withText('assets/sidebar.html', '<link rel="stylesheet" href="../../style.css">')],
  ];

  it.each(broken)('flags %s as %s', (_label, code, mutate, zipSize) => {
    expect(codes(mutate(appFiles()), zipSize)).toContain(code);
  });

  const allowed: [string, (files: Files) => Files][] = [
    ['a whitelisted host name', withManifest((m) => (m.domainWhitelist = ['bridge.example.com']))],
    ['a whitelisted sub-domain placeholder', withManifest((m) => (m.domainWhitelist = ['{{setting.bridge_host}}.example.com']))],
    ['an https location', withManifest((m) => (m.location.support.background = 'https://bridge.example.com/zendesk/background.html'))],
    ['a location resolved from a setting', withManifest((m) => (m.location.support.background = '{{setting.bridge_url}}/background.html'))],
    ['an icon made of symbols with a default', withText('assets/icon_top_bar.svg', '<svg><symbol id="default" viewBox="0 0 18 18"><circle cx="9" cy="9" r="5"/></symbol></svg>')],
    ['a PNG icon instead of the SVG', (f) => ({ ...without('assets/icon_top_bar.svg')(f), 'assets/icon_top_bar_inactive.png': f['assets/logo-small.png'] })],
    ['a 250×405 top bar', withManifest((m) => (m.location.support.top_bar.size = { width: '250px', height: '405px' }))],
    ['a zip of exactly 2 MB', (f) => f],
  ];

  it.each(allowed)('accepts %s', (_label, mutate) => {
    expect(validateZendeskApp(mutate(appFiles()), { zipSize: LIMITS.maxZipBytes })).toEqual([]);
  });
});

describe('readPngHeader', () => {
  it('reads the size and pixel format from IHDR', () => {
    expect(readPngHeader(readFileSync(join(appDir, 'assets', 'logo.png')))).toEqual({ width: 320, height: 320, bitDepth: 8, colorType: 6 });
  });

  it('returns null for bytes that are not a PNG', () => {
    expect(readPngHeader(encoder.encode('<svg viewBox="0 0 1 1"/>'.repeat(3)))).toBeNull();
    expect(readPngHeader(new Uint8Array(8))).toBeNull();
  });
});
