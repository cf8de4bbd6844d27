import { describe, expect, it } from 'vitest';
import { appSettingsFrom } from './app-settings.js';

describe('appSettingsFrom', () => {
  it('normalises the bridge URL to a base with a trailing slash', () => {
    expect(appSettingsFrom({ settings: { bridge_url: ' https://bridge.example.com ' } }))
      .toEqual({ bridgeUrl: 'https://bridge.example.com/' });
    expect(appSettingsFrom({ settings: { bridge_url: 'https://x.example/sambung?x=1#y', tenant: ' acme ' } }))
      .toEqual({ bridgeUrl: 'https://x.example/sambung/', tenant: 'acme' });
  });

  it('refuses a missing, relative, credentialed or non-http bridge URL', () => {
    for (const bridge_url of [undefined, 42, '', '/relative', 'javascript:alert(1)', 'ftp://x.example/',
      'https://user:pw@x.example/']) {
      expect(appSettingsFrom({ settings: { bridge_url } }), String(bridge_url)).toBeNull();
    }
    expect(appSettingsFrom({})).toBeNull();
  });

  it('refuses a bridge URL on another host than bridge_host (the whitelisted one)', () => {
    expect(appSettingsFrom({ settings: { bridge_url: 'https://bridge.acme.test/', bridge_host: 'Bridge.Acme.test' } }))
      .toEqual({ bridgeUrl: 'https://bridge.acme.test/' });
    expect(appSettingsFrom({ settings: { bridge_url: 'https://evil.example/', bridge_host: 'bridge.acme.test' } })).toBeNull();
  });
});
