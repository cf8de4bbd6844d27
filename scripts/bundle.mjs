/**
 * The one esbuild setup for every browser bundle (build-browser.mjs, build-zendesk.mjs): IIFE, ES2019 / Safari 13
 * syntax, minified, external source maps. Builds each bundle, prints its size (and budget), and exits non-zero on
 * any error or blown budget.
 */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

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

/** @param {string} label @param {{ entry: string, outfile: string, budget?: number }[]} bundles */
export async function buildBundles(label, bundles) {
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
    const gzip = gzipSync(code, { level: 9 }).length;
    const over = budget !== undefined && code.length > budget;
    if (over) failed = true;
    rows.push(
      `${over ? '✗' : '✓'} ${outfile.padEnd(40)} ${kb(code.length).padStart(9)} min ${kb(gzip).padStart(9)} gzip` +
        (budget ? `   (budget ${kb(budget)}${over ? ' EXCEEDED' : ''})` : ''),
    );
  }
  for (const row of rows) console.log(row);
  if (failed) {
    console.error(`${label}: FAILED`);
    process.exit(1);
  }
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(2)} KB`;
}
