/**
 * Entry of `softphone.js` for the standalone `/agent` page: the page is its own host.
 * Expects `<div id="softphone"></div>` and loads from `{bridge}/agent/softphone.js`.
 */
import { StandaloneDomView } from './standalone-dom-view.js';
import { StandaloneHost } from './standalone-host.js';
import { startSoftphone } from './start-softphone.js';

const script = document.currentScript as HTMLScriptElement | null;
const bridgeUrl = new URL('/', script?.src || location.href).href;

function boot(): void {
  const mount = document.getElementById('softphone');
  if (!mount) {
    console.error('[softphone] no #softphone element');
    return;
  }
  const layout = document.createElement('div');
  layout.className = 'sp-layout';
  mount.append(layout);
  const locale = navigator.language || 'en';
  const hostView = new StandaloneDomView(layout, locale);
  const host = new StandaloneHost({ view: hostView, locale, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
  const tenant = new URLSearchParams(location.search).get('tenant') ?? 'demo';
  const softphone = startSoftphone({ container: layout, host, bridgeUrl, tenant });
  layout.append(hostView.element);
  // The page plays the CRM only for a signed-in agent.
  const showHost = (): void => {
    hostView.element.hidden = softphone.controller.machine.state === 'signed-out';
  };
  softphone.controller.machine.onChange(showHost);
  showHost();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
else boot();
