import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { TokenService } from './auth/tokens.js';
import { AcdService } from './calls/acd-service.js';
import { AgentRoster } from './calls/agent-roster.js';
import { B2bua } from './calls/b2bua.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { createHttpApp } from './http/app.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import type { WebPaths } from './http/static-routes.js';
import { loadHoldAudio } from './media/hold-player.js';
import { loadConsentPrompt } from './media/opus-clip.js';
import { crmConnectors } from './crm/connectors.js';
import { CrmConnections } from './crm/crm-connections.js';
import { SecretBox } from './crm/secret-box.js';
import { CallRecordings } from './calls/call-recordings.js';
import { afterCrash } from './calls/post-call.js';
import { generateRecordingKey, parseRecordingKey, readSealedPart } from './recordings/index.js';
import { registerDeliveryHandlers, type CrmConnection } from './recordings/outbox/delivery-handlers.js';
import { Outbox } from './recordings/outbox/outbox.js';
import { RecordingRetention } from './recordings/outbox/retention.js';
import { recordingLink } from './http/recording-routes.js';
import type { MediaOptions } from './media/media-options.js';
import { DigestAuthenticator } from './sip/digest-auth.js';
import { Registrar } from './sip/registrar.js';
import { SipStack } from './sip/sip-stack.js';
import { WsSipTransport } from './sip/ws-transport.js';
import { seedDemo, type DemoSeed } from './store/seed-demo.js';
import { createStore, type Store } from './store/store.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const defaultWebPaths: WebPaths = {
  widgetDist: resolve(repoRoot, 'widget/dist'),
  demoDir: resolve(repoRoot, 'widget/demo'),
  softphoneDist: resolve(repoRoot, 'connectors/softphone/dist'),
  softphonePublic: resolve(repoRoot, 'connectors/softphone/public'),
  adminDist: resolve(repoRoot, 'admin/dist'),
  adminPublic: resolve(repoRoot, 'admin/public'),
};

/** A running bridge: HTTP + SIP/WebSocket on one port, the store, the B2BUA. */
export interface Bridge {
  readonly config: Readonly<Config>;
  readonly url: string;
  readonly port: number;
  readonly store: Store;
  readonly b2bua: B2bua;
  readonly stack: SipStack;
  readonly registrar: Registrar;
  readonly roster: AgentRoster;
  readonly acd: AcdService;
  readonly metrics: Metrics;
  readonly outbox: Outbox;
  readonly seed: DemoSeed | null;
  readonly log: Logger;
  close(): Promise<void>;
}

export interface BridgeOptions {
  /**
   * Overrides each tenant's CRM connection for deliveries (tests with an in-memory CRM); by default the connection
   * an admin made through `PUT /api/admin/crm`.
   */
  crm?: (tenantId: string) => Promise<CrmConnection | null>;
  clock?: Clock;
  log?: Logger;
  webPaths?: WebPaths;
}

/**
 * The composition root: builds every component from the validated config, wires them and listens. Nothing
 * here reads the environment (CONVENTIONS #6); `main.ts` does, once.
 */
export async function startBridge(config: Readonly<Config>, options: BridgeOptions = {}): Promise<Bridge> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? pino({ level: config.logLevel });
  if (!config.tokenSecret) log.warn('TOKEN_SECRET is not set: using a random secret, tokens end with this process');
  const secret = config.tokenSecret ?? randomBytes(32).toString('base64url');

  const store = await createStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, clock });
  const dangling = await store.calls.closeDangling('failed', new Date(clock.now()));
  if (dangling > 0) log.warn({ calls: dangling }, 'closed call records left open by an earlier stop as failed');
  const seed = config.demo.seed ? await seedDemo(store, { passwords: config.demo.passwords }) : null;

  const metrics = createMetrics({ defaultMetrics: config.env !== 'test' });
  const tokens = new TokenService(secret, clock);
  const digest = new DigestAuthenticator({ secret, clock });
  const registrar = new Registrar({ clock });
  const roster = new AgentRoster();
  const acd = new AcdService({ store, clock, log: log.child({ component: 'acd' }), maxMissesBeforeAway: config.acd.maxMissesBeforeAway });
  const media: MediaOptions = { iceServers: config.media.iceServers, publicAddress: config.media.publicAddress };
  const holdAudio = await loadHoldAudio();
  const consentPrompt = await loadConsentPrompt();
  const sipLog = log.child({ component: 'sip' });
  const stack = new SipStack({ clock, logger: sipLog });
  stack.on('message', (direction, msg) => {
    metrics.sipMessages.inc(
      msg.kind === 'request'
        ? { direction, method: msg.method, status: '' }
        : { direction, method: msg.cseq.method, status: String(msg.status) },
    );
  });
  stack.on('parseError', () => metrics.sipParseErrors.inc());
  stack.on('connectionClosed', (conn) => registrar.removeConnection(conn));

  let recordingKey;
  if (config.recording.key) recordingKey = parseRecordingKey(config.recording.key);
  else {
    recordingKey = generateRecordingKey().key;
    log.warn('RECORDING_KEY is not set: recordings made now cannot be read after this process ends (development only)');
  }
  const recordings = new CallRecordings({
    store,
    clock,
    log: log.child({ component: 'recordings' }),
    key: recordingKey,
    dir: config.recording.dir,
    partMaxBytes: config.recording.partMaxBytes,
  });

  const crmConnections = new CrmConnections({
    repo: store.crm,
    box: new SecretBox(recordingKey),
    connectors: crmConnectors,
    connectorOptions: (kind) => ({ apiBase: (account) => (config.crmApi[kind] ?? '').replaceAll('{account}', account) }),
    log: log.child({ component: 'crm' }),
  });
  const crm = options.crm ?? ((tenantId: string) => crmConnections.connection(tenantId));
  const outbox = new Outbox({ repo: store.outbox, clock, onLoopError: (err) => log.error({ err }, 'outbox loop failed') });
  let baseUrl = config.publicUrl ?? '';
  /** A signed link to part 1 of the call's newest recording still on disk, or null. */
  const recordingLinkOf = async (tenantId: string, callId: string, issuedTo: string): Promise<string | null> => {
    for (const recording of (await store.recordings.byCall(tenantId, callId)).reverse()) {
      if ((await store.recordings.parts(tenantId, recording.id))?.length) {
        return (await recordingLink(tokens, baseUrl, { tenantId, recordingId: recording.id, part: 1, issuedTo })).url;
      }
    }
    return null;
  };
  registerDeliveryHandlers(outbox, {
    crm,
    recordings: store.recordings,
    // Parts are encrypted at rest: decrypt while the CRM upload streams them.
    readFile: (path) => readSealedPart(path, recordingKey),
    recordingUrl: async (tenantId, recordingId, part) =>
      (await recordingLink(tokens, baseUrl, { tenantId, recordingId, part, issuedTo: `crm:${tenantId}` })).url,
    callLogFacts: async (tenantId, callId, agentId) => ({
      contactId: await store.crm.callContact(tenantId, callId),
      agentCrmUserId: agentId ? await store.crm.crmUserOf(tenantId, agentId) : null,
      recordingUrl: await recordingLinkOf(tenantId, callId, `crm:${tenantId}`),
    }),
  });
  const retention = new RecordingRetention({
    recordings: store.recordings,
    outbox,
    clock,
    retentionMs: config.recording.retentionDays * 86_400_000,
  });

  const recovered = await recordings.recover();
  if (recovered.length > 0) log.warn({ recordings: recovered.length }, 'rendered recordings left unfinished by an earlier stop');
  const hasCrm = async (tenantId: string) => (await crm(tenantId)) !== null;
  for (const recording of recovered) {
    await afterCrash(recording, { store, log, recordings, outbox, hasCrm });
  }

  const finished = { visitor: { in: 0, out: 0 }, agent: { in: 0, out: 0 } };
  const b2bua = new B2bua({
    stack,
    store,
    tokens,
    digest,
    registrar,
    roster,
    acd,
    media,
    holdAudio,
    consentPrompt,
    clock,
    recordings,
    outbox,
    hasCrm,
    log: log.child({ component: 'calls' }),
    onCallEnded(call, reason) {
      metrics.callsEnded.inc({ reason });
      finished.visitor.in += call.visitorMedia.stats.packetsIn;
      finished.visitor.out += call.visitorMedia.stats.packetsOut;
      finished.agent.in += call.agentMedia?.stats.packetsIn ?? 0;
      finished.agent.out += call.agentMedia?.stats.packetsOut ?? 0;
    },
  });
  stack.setUserAgentCore(b2bua);

  metrics.bind({
    activeCalls: () => b2bua.activeCalls.length,
    registeredAgents: () => registrar.aors().filter((aor) => registrar.lookup(aor).length > 0).length,
    mediaPackets: () => {
      const t = structuredClone(finished);
      for (const call of b2bua.activeCalls) {
        t.visitor.in += call.visitorMedia.stats.packetsIn;
        t.visitor.out += call.visitorMedia.stats.packetsOut;
        t.agent.in += call.agentMedia?.stats.packetsIn ?? 0;
        t.agent.out += call.agentMedia?.stats.packetsOut ?? 0;
      }
      return (['visitor', 'agent'] as const).flatMap((leg) =>
        (['in', 'out'] as const).map((direction) => ({ leg, direction, packets: t[leg][direction] })),
      );
    },
  });

  acd.startMetricsFlush(60_000);

  const app = createHttpApp(
    {
      config,
      store,
      tokens,
      roster,
      acd,
      metrics,
      recordings: store.recordings,
      recordingKey,
      outbox,
      log: log.child({ component: 'http' }),
      isRegistered: (aor) => registrar.lookup(aor).length > 0,
      keepPlace: (tenantId, visitorId, sipCallId, phone) => b2bua.keepPlace(tenantId, visitorId, sipCallId, phone),
      activeCalls: (tenantId) => b2bua.activeCalls.filter((c) => c.tenantId === tenantId).map((c) => c.snapshot()),
      crm: crmConnections,
      recordingLinkOf: (tenantId, callId) => recordingLinkOf(tenantId, callId, `crm-app:${tenantId}`),
    },
    options.webPaths ?? defaultWebPaths,
  );
  const server: Server = createServer(app);
  const transport = new WsSipTransport({ server, stack, clock, logger: sipLog });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host}:${port}`;
  baseUrl = config.publicUrl ?? url;
  const resumed = await outbox.recoverAfterRestart();
  if (resumed > 0) log.warn({ jobs: resumed }, 'resumed deliveries interrupted by an earlier stop');
  outbox.start();
  retention.start();

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await b2bua.close();
      await recordings.close();
      retention.close();
      await outbox.close();
      await acd.flushMetrics().catch((err) => log.error({ err }, 'saving ACD metrics at shutdown failed'));
      acd.close();
      transport.close();
      registrar.close();
      stack.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await store.close();
    })());

  return { config, url, port, store, b2bua, stack, registrar, roster, acd, metrics, outbox, seed, log, close };
}
