import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics (prom-client) on a registry of our own, never the global default, so several bridges
 * in one test process do not collide. Gauges read live state through callbacks set by the owner.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly sipMessages: Counter<'direction' | 'method' | 'status'>;
  readonly callsEnded: Counter<'reason'>;
  readonly sipParseErrors: Counter<string>;
  /** Set the functions the gauges read at scrape time. */
  bind(sources: {
    activeCalls: () => number;
    registeredAgents: () => number;
    mediaPackets: () => { leg: 'visitor' | 'agent'; direction: 'in' | 'out'; packets: number }[];
  }): void;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  let sources: Parameters<Metrics['bind']>[0] = {
    activeCalls: () => 0,
    registeredAgents: () => 0,
    mediaPackets: () => [],
  };
  new Gauge({
    name: 'sambung_active_calls',
    help: 'Calls not yet ended (queued, ringing or connected)',
    registers: [registry],
    collect() {
      this.set(sources.activeCalls());
    },
  });
  new Gauge({
    name: 'sambung_registered_agents',
    help: 'Agents with at least one live SIP registration',
    registers: [registry],
    collect() {
      this.set(sources.registeredAgents());
    },
  });
  new Gauge({
    name: 'sambung_media_packets',
    help: 'RTP packets through the bridge per leg and direction (since start)',
    labelNames: ['leg', 'direction'],
    registers: [registry],
    collect() {
      this.reset();
      for (const m of sources.mediaPackets()) this.inc({ leg: m.leg, direction: m.direction }, m.packets);
    },
  });
  const sipMessages = new Counter({
    name: 'sambung_sip_messages_total',
    help: 'SIP messages by direction, method and status (status "" for requests)',
    labelNames: ['direction', 'method', 'status'] as const,
    registers: [registry],
  });
  const callsEnded = new Counter({
    name: 'sambung_calls_ended_total',
    help: 'Calls ended, by CDR end reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  for (const reason of ['completed', 'abandoned', 'rejected', 'failed']) callsEnded.inc({ reason }, 0);
  const sipParseErrors = new Counter({
    name: 'sambung_sip_parse_errors_total',
    help: 'SIP frames that could not be parsed',
    registers: [registry],
  });
  return {
    registry,
    sipMessages,
    callsEnded,
    sipParseErrors,
    bind(s) {
      sources = s;
    },
  };
}
