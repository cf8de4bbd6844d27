import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { simulate } from './simulate.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The engine against Erlang C: M/M/c traffic through the real ACD must show the waits the formula predicts.
 * Loads are moderate (occupancy 0.6–0.75) so 200,000 calls pin the averages down well inside the tolerances;
 * the seeds are fixed, so the runs are reproducible.
 */
const configs = [
  { arrivalsPerMin: 1, ahtSec: 240, agents: 6, slSec: 30 },
  { arrivalsPerMin: 0.5, ahtSec: 300, agents: 4, slSec: 20 },
  { arrivalsPerMin: 4, ahtSec: 120, agents: 11, slSec: 20 },
  { arrivalsPerMin: 3, ahtSec: 60, agents: 5, slSec: 15 },
];

describe('simulation through the real engine agrees with Erlang C', () => {
  it.each(configs)('λ=$arrivalsPerMin/min, AHT $ahtSec s, $agents agents: P(wait) and service level within 0.03, ASA within 10 %', (c) => {
    const r = simulate({ ...c, calls: 200_000, seed: 1 });
    expect(r.calls).toBeGreaterThanOrEqual(100_000);
    expect(Math.abs(r.pWait - r.erlangC.pWait)).toBeLessThanOrEqual(0.03);
    expect(Math.abs(r.serviceLevel - r.erlangC.serviceLevel)).toBeLessThanOrEqual(0.03);
    expect(Math.abs(r.asaSec / r.erlangC.asaSec - 1)).toBeLessThanOrEqual(0.1);
  });

  it('gives the same figures for the same seed', () => {
    const a = simulate({ ...configs[0]!, calls: 5_000, seed: 7 });
    const b = simulate({ ...configs[0]!, calls: 5_000, seed: 7 });
    expect(a).toEqual(b);
  });
});

describe('npm run sim', () => {
  it('prints a JSON summary as its last line', async () => {
    const { stdout } = await promisify(execFile)(
      'npm',
      ['run', 'sim', '--', '--arrivals-per-min', '2', '--aht-sec', '180', '--agents', '8', '--sl-sec', '20', '--calls', '3000', '--seed', '3'],
      { cwd: root },
    );
    const last = stdout.trim().split('\n').at(-1)!;
    const json = JSON.parse(last) as Record<string, unknown>;
    expect(json).toEqual(expect.objectContaining({ pWait: expect.any(Number), asaSec: expect.any(Number), serviceLevel: expect.any(Number) }));
    expect(json.erlangC).toEqual(expect.objectContaining({ pWait: expect.any(Number) }));
  });
});
