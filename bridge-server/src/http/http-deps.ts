import type { Request } from 'express';
import type { Logger } from 'pino';
import type { TokenService } from '../auth/tokens.js';
import type { AcdService } from '../calls/acd-service.js';
import type { AgentRoster } from '../calls/agent-roster.js';
import type { Config } from '../config.js';
import type { Store } from '../store/store.js';
import type { Metrics } from './metrics.js';
import type { Outbox } from '../recordings/outbox/outbox.js';
import type { RecordingKey } from '../recordings/recording-key.js';
import type { CrmConnections } from '../crm/crm-connections.js';

/** Recording files and their access audit, as the HTTP layer sees them. */
export interface RecordingAccess {
  /** The parts of a recording of this tenant (in order), or null when the tenant has no such recording. */
  parts(tenantId: string, recordingId: string): Promise<string[] | null>;
  /** The file of one part (1-based), or null when absent, purged or another tenant's. */
  partPath(tenantId: string, recordingId: string, part: number): Promise<string | null>;
  /** Append to the access audit (served and refused alike). */
  audit(entry: { tenantId: string | null; recordingId: string | null; who: string; outcome: 'served' | 'denied'; reason: string }): Promise<void>;
}

/** What the HTTP layer needs from the rest of the bridge. */
export interface HttpDeps {
  config: Readonly<Config>;
  store: Store;
  tokens: TokenService;
  roster: AgentRoster;
  acd: AcdService;
  metrics: Metrics;
  recordings: RecordingAccess;
  /** Decrypts recording parts (encrypted at rest) while serving them. */
  recordingKey: RecordingKey;
  /** Deliveries to the tenants' CRMs. */
  outbox: Outbox;
  log: Logger;
  /** Whether the agent currently has a live SIP registration. */
  isRegistered(aor: string): boolean;
  /** "Keep my place and call me back" for the waiting visitor call with this SIP Call-ID. */
  keepPlace(tenantId: string, visitorId: string, sipCallId: string, phone: string | null): boolean;
  /** Live call figures for the API (per-leg packet counters). */
  activeCalls(tenantId: string): unknown[];
  /** Each tenant's CRM connection. */
  crm: CrmConnections;
  /** A signed link to (part 1 of) the call's recording while it is on disk, else null. */
  recordingLinkOf(tenantId: string, callId: string): Promise<string | null>;
}

/** The SIP WebSocket URL as the browser reached us (same host and port as HTTP, RFC 7118). */
export function sipEndpoints(req: Request): { wsUrl: string } {
  const secure = req.protocol === 'https' || req.get('x-forwarded-proto') === 'https';
  return { wsUrl: `${secure ? 'wss' : 'ws'}://${req.get('host') ?? 'localhost'}/sip` };
}
