#!/usr/bin/env node
/**
 * Builds the browser bundles (see bundle.mjs for the options) and prints their sizes:
 *   widget/dist/widget.js              the loader (no dependencies, size-budgeted)
 *   widget/dist/call.js                the visitor call panel (+ JsSIP)
 *   connectors/softphone/dist/softphone.js   the agent softphone (+ JsSIP)
 *   admin/dist/admin.js                the admin console (/admin; no dependencies)
 */
import { buildBundles } from './bundle.mjs';

await buildBundles('build-browser', [
  // Bytes, minified. The loader is on every page of a customer's site: keep it tiny.
  { entry: 'widget/src/loader/index.ts', outfile: 'widget/dist/widget.js', budget: 4096 },
  { entry: 'widget/src/call/index.ts', outfile: 'widget/dist/call.js' },
  { entry: 'connectors/softphone/src/main.ts', outfile: 'connectors/softphone/dist/softphone.js' },
  { entry: 'admin/src/main.ts', outfile: 'admin/dist/admin.js' },
]);
