import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SambungError } from '../../../bridge-server/src/errors.js';
import { parseZcliAppJson, zcliInstallation, ZcliInstallationError } from './zcli-installation.js';

/** JSON fixtures edited per test. */
type Json = any;

const here = dirname(fileURLToPath(import.meta.url));
const manifest = JSON.parse(readFileSync(join(here, '../../../manifests/zendesk/manifest.json'), 'utf8')) as Json;

/** What `zcli apps:server` 1.0.1 served for manifests/zendesk (observed), the installation id aside. */
function appJson(): Json {
  return {
    apps: [{
      name: 'Sambung', id: '0', default_locale: 'en', asset_url_prefix: 'http://localhost:4567/0/assets/', single_install: true,
      version: '0.1.0', framework_version: '2.0',
      locations: {
        support: {
          top_bar: { url: 'assets/top_bar.html', size: { width: '320px', height: '520px' }, svg: 'icon_top_bar.svg' },
          background: { url: 'assets/background.html' },
          ticket_sidebar: { url: 'assets/sidebar.html', flexible: true },
          user_sidebar: { url: 'assets/sidebar.html', flexible: true },
        },
      },
    }],
    installations: [{
      app_id: '0', name: 'Sambung', collapsible: true, enabled: true, id: '7de726e8-e4a0-4b20-b194-19eadb90b85f', requirements: [],
      settings: [{ title: 'Sambung' }, { bridge_url: 'https://bridge.example/' }, { bridge_host: 'bridge.example' }, { tenant: 'demo' },
        { tenant_key: 'sbk_secret' }],
      updated_at: '2030-01-01T00:00:00.000Z',
    }],
  };
}

const edited = (edit: (json: Json) => void): Json => {
  const json = appJson();
  edit(json);
  return json;
};

/** The error `run` throws, to assert on its code and every issue it lists. */
function failure(run: () => unknown): ZcliInstallationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ZcliInstallationError) return error;
    throw error;
  }
  throw new Error('expected a ZcliInstallationError');
}

describe('zcliInstallation: what the fake agent page needs from zcli’s app.json', () => {
  it('maps each hosted location to its page under the asset URL prefix, with the top bar’s size', () => {
    const installation = zcliInstallation(appJson(), manifest);
    expect(installation).toMatchObject({
      appId: '0',
      installationId: '7de726e8-e4a0-4b20-b194-19eadb90b85f',
      name: 'Sambung',
      assetBaseUrl: 'http://localhost:4567/0/assets/',
      locations: { background: 'background.html', top_bar: 'top_bar.html', ticket_sidebar: 'sidebar.html', user_sidebar: 'sidebar.html' },
      topBarSize: { width: '320px', height: '520px' },
      domainWhitelist: ['{{setting.bridge_host}}'],
    });
    expect(new URL(installation.locations.top_bar, installation.assetBaseUrl).href).toBe('http://localhost:4567/0/assets/top_bar.html');
  });

  it('reads the settings array of one-key objects and keeps the manifest’s secure parameters apart', () => {
    const { settings } = zcliInstallation(appJson(), manifest);
    expect(settings.public).toEqual({ title: 'Sambung', bridge_url: 'https://bridge.example/', bridge_host: 'bridge.example', tenant: 'demo' });
    expect(settings.secure).toEqual({ tenant_key: 'sbk_secret' });
  });

  it('turns a secure number into the string the proxy substitutes, and keeps public numbers and booleans as they are', () => {
    const json = edited((j) => j.installations[0].settings.push({ tenant_key: 12345 }, { retries: 3 }, { debug: false }));
    json.installations[0].settings.splice(4, 1);
    const { settings } = zcliInstallation(json, manifest);
    expect(settings.secure).toEqual({ tenant_key: '12345' });
    expect(settings.public).toMatchObject({ retries: 3, debug: false });
  });

  it('treats every setting as public when the manifest declares no secure parameter', () => {
    const { settings } = zcliInstallation(appJson(), { ...manifest, parameters: undefined });
    expect(settings.secure).toEqual({});
    expect(settings.public['tenant_key']).toBe('sbk_secret');
  });

  it('gives no top bar size when the manifest sets none, and an empty whitelist when it has none', () => {
    const installation = zcliInstallation(edited((j) => delete j.apps[0].locations.support.top_bar.size), { ...manifest, domainWhitelist: undefined });
    expect(installation.topBarSize).toBeNull();
    expect(installation.domainWhitelist).toEqual([]);
  });

  it('picks the installation of the app among others', () => {
    const json = edited((j) => j.installations.unshift({ ...j.installations[0], app_id: '9', id: 'other', settings: [{ tenant_key: 'not ours' }] }));
    expect(zcliInstallation(json, manifest)).toMatchObject({ installationId: '7de726e8-e4a0-4b20-b194-19eadb90b85f', settings: { secure: { tenant_key: 'sbk_secret' } } });
  });
});

describe('zcliInstallation: refusing what it cannot host', () => {
  it('lists every problem of a malformed app.json by path, as CONFIG_INVALID', () => {
    const error = failure(() => zcliInstallation(edited((j) => {
      j.apps[0].asset_url_prefix = 'javascript:alert(1)//';
      j.installations[0].settings[1] = { bridge_url: 'a', tenant: 'b' };
      j.installations[0].settings[2] = { bridge_host: null };
      delete j.installations[0].enabled;
    }), manifest));
    expect(error).toBeInstanceOf(SambungError);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(/^zcli app\.json is malformed:/);
    const issues = error.detail!['issues'] as string[];
    expect(issues).toHaveLength(4);
    expect(issues).toEqual(expect.arrayContaining([
      expect.stringMatching(/^apps\.0\.asset_url_prefix: /),
      'installations.0.settings.1: each setting must be one { name: value } object',
      expect.stringMatching(/^installations\.0\.settings\.2\.bridge_host: /),
      expect.stringMatching(/^installations\.0\.enabled: /),
    ]));
  });

  it('refuses what is not an app.json at all, and a settings object instead of zcli’s array', () => {
    for (const json of [null, 'app', [], { apps: {} }, edited((j) => (j.installations[0].settings = { tenant_key: 'x' }))]) {
      expect(() => parseZcliAppJson(json), JSON.stringify(json)).toThrow(ZcliInstallationError);
    }
    expect(failure(() => parseZcliAppJson(null)).message).toContain('(root)');
  });

  it('refuses an asset prefix without its trailing slash (pages would resolve beside the assets folder)', () => {
    const error = failure(() => zcliInstallation(edited((j) => (j.apps[0].asset_url_prefix = 'http://localhost:4567/0/assets')), manifest));
    expect(error.message).toContain('apps.0.asset_url_prefix: must end with "/"');
  });

  it('refuses a malformed manifest', () => {
    const error = failure(() => zcliInstallation(appJson(), { parameters: [{ name: 'tenant_key', secure: 'yes' }] }));
    expect(error.message).toMatch(/^manifest\.json is malformed:\n {2}parameters\.0\.secure: /);
  });

  it('needs exactly one app and one installation of it', () => {
    expect(failure(() => zcliInstallation(edited((j) => j.apps.push({ ...j.apps[0], id: '1' })), manifest)).message)
      .toBe('zcli app.json cannot be hosted: expected one app, found 2');
    expect(failure(() => zcliInstallation(edited((j) => (j.apps = [])), manifest)).message).toContain('expected one app, found 0');
    expect(failure(() => zcliInstallation(edited((j) => (j.installations[0].app_id = '5')), manifest)).message)
      .toContain('expected one installation of app 0, found 0');
    expect(failure(() => zcliInstallation(edited((j) => j.installations.push(j.installations[0])), manifest)).message)
      .toContain('expected one installation of app 0, found 2');
  });

  it('refuses a setting given twice', () => {
    const error = failure(() => zcliInstallation(edited((j) => j.installations[0].settings.push({ tenant: 'other' })), manifest));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('setting "tenant" appears twice');
  });

  it('needs a Support page for each location the fake hosts', () => {
    for (const location of ['background', 'top_bar', 'ticket_sidebar', 'user_sidebar']) {
      const error = failure(() => zcliInstallation(edited((j) => delete j.apps[0].locations.support[location]), manifest));
      expect(error.message).toBe(`zcli app.json cannot be hosted: the app has no support.${location} location`);
    }
    expect(failure(() => zcliInstallation(edited((j) => delete j.apps[0].locations), manifest)).message).toContain('no support.background');
  });

  it('frames only pages inside the app’s assets: no outside URL, no climbing out to app.json', () => {
    for (const url of ['https://evil.example/x.html', 'top_bar.html', 'assets/', 'assets/../app.json', 'assets/x/../../../app.json',
      'assets/%2e%2e/%2e%2e/app.json', 'assets//evil.example/x', 'assets/\\\\evil.example\\x', 'assets/javascript:alert(1)', 'assets/?x=1']) {
      const error = failure(() => zcliInstallation(edited((j) => (j.apps[0].locations.support.top_bar.url = url)), manifest));
      expect(error.message, url).toBe(`zcli app.json cannot be hosted: support.top_bar is "${url}", not a page under assets/`);
    }
    const nested = zcliInstallation(edited((j) => (j.apps[0].locations.support.user_sidebar.url = 'assets/pages/user.html?v=2')), manifest);
    expect(nested.locations.user_sidebar).toBe('pages/user.html?v=2');
  });
});
