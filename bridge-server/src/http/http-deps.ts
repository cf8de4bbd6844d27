import type { Request } from 'express';
import type { Logger } from 'pino';
import type { TokenService } from '../auth/tokens.js';
import type { AcdService } from '../calls/acd-service.js';
import type { AgentRoster } from '../calls/agent-roster.js';
import type { Config } from '../config.js';
import type { Store } from '../store/store.js';
import type { Metrics } from './metrics.js';

/** What the HTTP layer needs from the rest of the bridge. */
export interface HttpDeps {
  config: Readonly<Config>;
  store: Store;
  tokens: TokenService;
  roster: AgentRoster;
  acd: AcdService;
  metrics: Metrics;
  log: Logger;
  /** Whether the agent currently has a live SIP registration. */
  isRegistered(aor: string): boolean;
  /** "Keep my place and call me back" for the waiting visitor call with this SIP Call-ID. */
  keepPlace(tenantId: string, visitorId: string, sipCallId: string, phone: string | null): boolean;
  /** Live call figures for the API (per-leg packet counters). */
  activeCalls(tenantId: string): unknown[];
}

/** The SIP WebSocket URL as the browser reached us (same host and port as HTTP, RFC 7118). */
export function sipEndpoints(req: Request): { wsUrl: string } {
  const secure = req.protocol === 'https' || req.get('x-forwarded-proto') === 'https';
  return { wsUrl: `${secure ? 'wss' : 'ws'}://${req.get('host') ?? 'localhost'}/sip` };
}
