/**
 * Entry of `admin.js` for the `/admin` page (served by the bridge; `npm run build` bundles it). Expects
 * `<div id="admin"></div>` and talks to the bridge it was loaded from.
 */
import { AdminApiClient } from './admin-api.js';
import { AdminConsole } from './admin-console.js';
import { whenFormat } from './format-when.js';
import { documentVisibility } from './visible-poller.js';

const script = document.currentScript as HTMLScriptElement | null;
const bridgeUrl = new URL('/', script?.src || location.href).href;

function timeZones(): string[] {
  const intl = Intl as { supportedValuesOf?: (key: 'timeZone') => string[] };
  try {
    return intl.supportedValuesOf?.('timeZone') ?? [];
  } catch {
    return [];
  }
}

function boot(): void {
  const root = document.getElementById('admin');
  if (!root) {
    console.error('[admin] no #admin element');
    return;
  }
  const locale = navigator.language || 'en';
  const console_ = new AdminConsole(root, {
    client: new AdminApiClient(bridgeUrl, (input, init) => fetch(input, init)),
    tenant: new URLSearchParams(location.search).get('tenant') ?? '',
    when: whenFormat(locale),
    browserTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    timeZones: timeZones(),
    copy: (text) => (navigator.clipboard ? navigator.clipboard.writeText(text) : Promise.reject(new Error('no clipboard'))),
    visibility: documentVisibility(document),
    timers: { setTimeout: (callback, ms) => window.setTimeout(callback, ms), clearTimeout: (handle) => window.clearTimeout(handle as number) },
  });
  console_.start();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
else boot();
