/**
 * `npm run sim -- --arrivals-per-min <λ> --aht-sec <s> --agents <c> --sl-sec <t> --calls <n> --seed <k>`
 *
 * What-if staffing for admins: simulates one queue through the real ACD engine (see `simulate.ts`) and prints
 * the measured figures next to Erlang C's. The last stdout line is JSON for scripts:
 * `{"pWait": …, "asaSec": …, "serviceLevel": …, "occupancy": …, "erlangC": {…}, "agentsNeeded": …}`.
 * `--target <share>` (default 0.8) sets the service-level target for the "agents needed" figure.
 */
import { parseArgs } from 'node:util';
import { agentsNeeded, trafficErlangs } from '../src/acd/erlang-c.js';
import { simulate } from './simulate.js';

const USAGE =
  'usage: npm run sim -- --arrivals-per-min <λ> --aht-sec <s> --agents <c> --sl-sec <t> [--calls <n>] [--seed <k>] [--target <0..1>]';

function main(argv: string[]): number {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        'arrivals-per-min': { type: 'string' },
        'aht-sec': { type: 'string' },
        agents: { type: 'string' },
        'sl-sec': { type: 'string', default: '20' },
        calls: { type: 'string', default: '100000' },
        seed: { type: 'string', default: '1' },
        target: { type: 'string', default: '0.8' },
      },
      strict: true,
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const num = (k: string) => Number(values[k]);
  const o = {
    arrivalsPerMin: num('arrivals-per-min'), ahtSec: num('aht-sec'), agents: num('agents'), slSec: num('sl-sec'),
    calls: num('calls'), seed: num('seed'),
  };
  const target = num('target');
  const bad = Object.entries(o).filter(([, v]) => !Number.isFinite(v) || v < 0).map(([k]) => k);
  if (bad.length > 0 || !Number.isInteger(o.agents) || !Number.isInteger(o.calls) || !(target > 0 && target < 1)) {
    console.error(`invalid or missing: ${bad.join(', ') || 'agents/calls must be integers, target in (0, 1)'}\n${USAGE}`);
    return 2;
  }
  const a = trafficErlangs(o.arrivalsPerMin, o.ahtSec);
  if (o.agents <= a) console.error(`warning: ${o.agents} agents cannot carry ${a.toFixed(2)} erlangs; the queue grows without bound`);
  const r = simulate(o);
  const need = agentsNeeded({ arrivalsPerMin: o.arrivalsPerMin, ahtSec: o.ahtSec, targetServiceLevel: target, targetSec: o.slSec });
  const f = (v: number, d = 4) => (Number.isFinite(v) ? v.toFixed(d) : String(v)).padStart(12);
  console.log(
    `sim: ${o.arrivalsPerMin}/min, AHT ${o.ahtSec} s, ${o.agents} agents (${a.toFixed(2)} erlangs), ` +
      `${r.calls} calls counted, ${r.simulatedHours.toFixed(1)} h simulated, seed ${o.seed}`,
  );
  console.log(`${''.padEnd(16)}${'simulation'.padStart(12)}${'erlang C'.padStart(12)}`);
  console.log(`${'P(wait)'.padEnd(16)}${f(r.pWait)}${f(r.erlangC.pWait)}`);
  console.log(`${'ASA (s)'.padEnd(16)}${f(r.asaSec, 2)}${f(r.erlangC.asaSec, 2)}`);
  console.log(`${`SL ${o.slSec} s`.padEnd(16)}${f(r.serviceLevel)}${f(r.erlangC.serviceLevel)}`);
  console.log(`${'occupancy'.padEnd(16)}${f(r.occupancy)}${f(a / o.agents)}`);
  console.log(`agents needed for ${(target * 100).toFixed(0)} % in ${o.slSec} s (Erlang C): ${need.agents}`);
  console.log(JSON.stringify({
    pWait: r.pWait, asaSec: r.asaSec, serviceLevel: r.serviceLevel, occupancy: r.occupancy, calls: r.calls,
    erlangC: { ...r.erlangC, asaSec: Number.isFinite(r.erlangC.asaSec) ? r.erlangC.asaSec : null },
    agentsNeeded: need.agents,
  }));
  return 0;
}

process.exitCode = main(process.argv.slice(2));
