/**
 * The installation's parameters as the browser sees them (`client.metadata().settings`). The manifest
 * declares `bridge_url` (text) and `tenant_key` (secure): Zendesk never gives secure parameters to the
 * browser, it only substitutes `{{setting.tenant_key}}` in requests sent through its proxy.
 */
import type { ZafMetadata } from './zaf-client.js';

export interface AppSettings {
  /** Absolute http(s) URL of the bridge, always with a trailing slash (API paths resolve against it). */
  readonly bridgeUrl: string;
  /** A tenant slug to prefill the sign-in form with, when the installation sets one. */
  readonly tenant?: string;
}

/**
 * Reads and validates the settings; `null` when `bridge_url` is missing or not an http(s) URL, or when
 * `bridge_host` (the manifest's `domainWhitelist` entry, which lets the secure key through Zendesk's proxy) names
 * another host than `bridge_url`'s — the sidebars' proxied requests would then be refused.
 */
export function appSettingsFrom(metadata: ZafMetadata): AppSettings | null {
  const settings = metadata.settings ?? {};
  const raw = settings['bridge_url'];
  if (typeof raw !== 'string') return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '' || url.password !== '') return null;
  const host = settings['bridge_host'];
  if (typeof host === 'string' && host.trim() !== '' && host.trim().toLowerCase() !== url.hostname) return null;
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  const tenant = settings['tenant'];
  return { bridgeUrl: url.href, ...(typeof tenant === 'string' && tenant.trim() !== '' ? { tenant: tenant.trim() } : {}) };
}
