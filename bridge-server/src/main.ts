/**
 * Entry point: the only place that reads the environment (CONVENTIONS #6). Validates the configuration, starts
 * the bridge, prints where everything is and the demo credentials, and shuts down cleanly on SIGINT/SIGTERM.
 */
import { startBridge } from './bridge.js';
import { loadConfig } from './config.js';
import { SambungError } from './errors.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    console.error(error instanceof SambungError ? error.message : error);
    process.exit(2);
  }
  const bridge = await startBridge(config);
  const { url, seed } = bridge;
  const lines = [
    '',
    `Sambung bridge is running on ${url}`,
    `  visitor demo page   ${url}/demo`,
    `  agent softphone     ${url}/agent`,
    `  admin console       ${url}/admin`,
    `  SIP over WebSocket  ${url.replace(/^http/, 'ws')}/sip`,
    `  health / metrics    ${url}/healthz  ${url}/metrics`,
    `  database            ${config.databaseUrl ? config.databaseUrl.replace(/\/\/[^@]*@/, '//***@') : `SQLite in ${config.dataDir}`}`,
  ];
  if (seed) {
    lines.push('', `Demo tenant "${seed.tenant.slug}", queue "${seed.queue.name}". Agents (tenant: ${seed.tenant.slug}):`);
    for (const a of seed.agents) {
      const password = a.password ?? `${config.demo.passwords[a.username]} (unless changed)`;
      lines.push(`  ${a.username.padEnd(6)} password: ${password}${a.username === 'admin' ? '   (admin API: /api/admin/…)' : ''}`);
    }
    lines.push('', 'Open /agent in one window and sign in, then /demo in another and click the call button.', '');
  }
  console.log(lines.join('\n'));
  const stop = (signal: string) => {
    bridge.log.info({ signal }, 'shutting down');
    bridge.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
