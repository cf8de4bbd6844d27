/**
 * Entry of `background.js`, the app's `support.background` location (`assets/background.html`): preloads the
 * softphone in the top bar and relays Zendesk's click-to-dial to it. The flow is described in
 * `background-relay.ts`.
 */
import { startBackgroundRelay } from './background-relay.js';
import { initZafClient } from './zaf-sdk.js';

const client = initZafClient();
if (client) startBackgroundRelay(client);
else console.warn('[sambung] background.html was opened outside Zendesk');
