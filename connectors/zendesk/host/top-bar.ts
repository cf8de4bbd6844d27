/**
 * Entry of `top-bar.js`, the app's `support.top_bar` location (`assets/top_bar.html`, `<div id="app">`): the
 * Sambung softphone in Zendesk's top bar, with {@link ZafHostAdapter} as its host.
 *
 * The background location preloads this pane when Zendesk starts (see `background-relay.ts`), so the agent can
 * sign in and ring before ever opening it; a ringing call then shows the popover (`setVisible(true)`).
 */
import { el } from '../../../browser-kit/src/dom.js';
import { startSoftphone, type SoftphoneHandle } from '../../softphone/src/start-softphone.js';
import { appSettingsFrom } from './app-settings.js';
import { createBridgeScreenPop } from './bridge-screen-pop.js';
import { sessionTokenOf } from './softphone-session.js';
import { bounded, realTimers } from './zaf-call.js';
import { ZafCandidatesView } from './zaf-candidates-view.js';
import { ZafHostAdapter } from './zaf-host-adapter.js';
import { initZafClient } from './zaf-sdk.js';
import { addStyles, zendeskStyles } from './zendesk-styles.js';

/** The largest console Talk Partner Edition's guidelines recommend (the adapter clamps to them anyway). */
const CONSOLE_SIZE = { width: 320, height: 520 } as const;

async function boot(): Promise<void> {
  const root = document.getElementById('app');
  if (!root) {
    console.error('[sambung] top_bar.html has no #app element');
    return;
  }
  document.body.classList.add('sp-page');
  addStyles(document, zendeskStyles, 'zendesk-styles');
  const client = initZafClient();
  if (!client) {
    root.textContent = 'Sambung runs inside Zendesk: open it from the Zendesk top bar.';
    return;
  }
  let settings: ReturnType<typeof appSettingsFrom>;
  try {
    settings = appSettingsFrom(await bounded(() => client.metadata(), 'metadata', realTimers));
  } catch (error) {
    console.error('[sambung] no app metadata', error);
    root.textContent = 'Zendesk did not answer. Reload the app.';
    return;
  }
  if (!settings) {
    root.textContent = 'Check the Sambung app settings: the bridge URL must be set, and its host must be the bridge host.';
    return;
  }

  const chooserHost = el('div', { 'data-zendesk': 'chooser' });
  const phoneHost = el('div', { class: 'sp-layout' });
  root.replaceChildren(chooserHost, phoneHost);
  let softphone: SoftphoneHandle | undefined;
  let zendeskAgentId: string | null = null;
  let adapter: ZafHostAdapter | undefined;
  const bridge = createBridgeScreenPop({
    bridgeUrl: settings.bridgeUrl,
    getToken: () => (softphone ? sessionTokenOf(softphone.controller) : null),
    getZendeskAgentId: () => zendeskAgentId,
    fetch: (input, init) => fetch(input, init),
    // The agent learns why Zendesk did not open the caller (the admin's fix: map the agent, reconnect Zendesk).
    onNoScreenPop: (reason) => adapter?.notify(`No screen pop: ${reason}`, 'warning'),
  });
  adapter = new ZafHostAdapter({
    client,
    screenPop: bridge.screenPop,
    choose: bridge.choose,
    chooser: new ZafCandidatesView(chooserHost),
  });
  softphone = startSoftphone({ container: phoneHost, host: adapter, bridgeUrl: settings.bridgeUrl, tenant: settings.tenant });
  adapter.init()
    .then((context) => {
      zendeskAgentId = context.user?.id ?? null;
      return adapter.resize(CONSOLE_SIZE);
    })
    .catch((error: unknown) => console.warn('[sambung] could not size the console', error));
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => void boot());
else void boot();
