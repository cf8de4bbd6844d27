#!/usr/bin/env node
/**
 * Builds the Zendesk connector's browser bundles (see bundle.mjs for the options) and prints their sizes:
 *   connectors/zendesk/dist/top-bar.js      support.top_bar: the softphone with the ZAF host adapter
 *   connectors/zendesk/dist/background.js   support.background: preloads the top bar, relays voice.dialout
 *   connectors/zendesk/dist/sidebar.js      support.ticket_sidebar / user_sidebar: recent calls
 *   connectors/zendesk/dist/fake-host.js    the fake Zendesk agent page used by tests (parent side of ZAF)
 * The ZAF SDK (zendesk_app_framework_sdk) is bundled in: Zendesk's CDN copy is not reachable everywhere.
 */
import { buildBundles } from './bundle.mjs';

await buildBundles('build-zendesk', [
  { entry: 'connectors/zendesk/host/top-bar.ts', outfile: 'connectors/zendesk/dist/top-bar.js' },
  { entry: 'connectors/zendesk/host/background.ts', outfile: 'connectors/zendesk/dist/background.js' },
  { entry: 'connectors/zendesk/host/sidebar.ts', outfile: 'connectors/zendesk/dist/sidebar.js' },
  { entry: 'connectors/zendesk/fake-host/main.ts', outfile: 'connectors/zendesk/dist/fake-host.js' },
]);
