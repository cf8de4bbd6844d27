#!/usr/bin/env node
/**
 * Builds the three browser bundles with esbuild and prints their sizes:
 *   widget/dist/widget.js              the loader (no dependencies, size-budgeted)
 *   widget/dist/call.js                the visitor call panel (+ JsSIP)
 *   connectors/softphone/dist/softphone.js   the agent softphone (+ JsSIP)
 * IIFE, ES2019 / Safari 13 syntax, minified, external source maps. Exits non-zero on any error or on a
 * blown size budget.
 */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Bytes, minified. The loader is on every page of a customer's site: keep it tiny. */
const bundles = [
  { entry: 'widget/src/loader/index.ts', outfile: 'widget/dist/widget.js', budget: 4096 },
  { entry: 'widget/src/call/index.ts', outfile: 'widget/dist/call.js' },
  { entry: 'connectors/softphone/src/main.ts', outfile: 'connectors/softphone/dist/softphone.js' },
];

const common = {
  bundle: true,
  format: 'iife',
  platform: 'browser',
  // ES2019 syntax (optional chaining, `??`, class fields and `#private` are lowered) runs on Safari 13+,
  // Chrome/Edge 80+, Firefox 78+. Naming `safari13` itself is not possible: esbuild flags Safari < 14.1
  // destructuring as buggy and cannot lower destructuring, which JsSIP uses.
  target: ['es2019'],
  minify: true,
  sourcemap: 'external',
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
};

let failed = false;
const rows = [];
for (const { entry, outfile, budget } of bundles) {
  try {
    const result = await build({ ...common, absWorkingDir: root, entryPoints: [entry], outfile });
    if (result.errors.length > 0) throw new Error(`${result.errors.length} error(s)`);
  } catch (error) {
    failed = true;
    console.error(`✗ ${entry}: ${error instanceof Error ? error.message : String(error)}`);
    continue;
  }
  const code = readFileSync(join(root, outfile));
  const size = code.length;
  const gzip = gzipSync(code, { level: 9 }).length;
  const over = budget !== undefined && size > budget;
  if (over) failed = true;
  rows.push(
    `${over ? '✗' : '✓'} ${relative(root, join(root, outfile)).padEnd(40)} ${kb(size).padStart(9)} min ` +
      `${kb(gzip).padStart(9)} gzip${budget ? `   (budget ${kb(budget)}${over ? ' EXCEEDED' : ''})` : ''}`,
  );
}
for (const row of rows) console.log(row);
if (failed) {
  console.error('build-browser: FAILED');
  process.exit(1);
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(2)} KB`;
}
