import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors.js';

/**
 * Configuration enters once (CONVENTIONS #6): {@link loadConfig} is called by the entry point with
 * `process.env`, validates everything with zod and returns a typed, frozen object passed down from there.
 * Nothing else reads the environment.
 */
const iceServer = z.object({
  urls: z.union([z.string().regex(/^(stun|stuns|turn|turns):/, 'must be a stun:/turn: URL'), z.array(z.string()).min(1)]),
  username: z.string().optional(),
  credential: z.string().optional(),
});

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** The bridge's public base URL (recording links for CRMs); default http://localhost:<PORT>. */
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres|postgresql):\/\/|^sqlite::memory:$/, 'must be postgres://… (or leave unset for SQLite in DATA_DIR)')
    .optional(),
  /** The address the media layer advertises in its ICE candidates (the host's public or LAN IP). */
  MEDIA_PUBLIC_ADDRESS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .refine((v) => isIP(v) !== 0, 'must be an IPv4 or IPv6 address')
      .optional(),
  ),
  /** JSON array of RTCIceServer. Never defaulted to a public STUN host (werift would stall offline). */
  ICE_SERVERS: z
    .string()
    .default('[]')
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON array of {urls, username?, credential?}' });
        return z.NEVER;
      }
    })
    .pipe(z.array(iceServer)),
  /** Secret for signing visitor/agent tokens and SIP digest nonces. Required in production. */
  TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  VISITOR_TOKEN_TTL_SEC: z.coerce.number().int().min(30).max(3600).default(300),
  AGENT_TOKEN_TTL_SEC: z.coerce.number().int().min(300).max(7 * 24 * 3600).default(12 * 3600),
  /** Seconds an agent's softphone rings before the call is offered to the next agent. */
  RING_TIMEOUT_SEC: z.coerce.number().int().min(5).max(120).default(20),
  /** 32 bytes (base64 or hex) encrypting recordings at rest (AES-256-GCM). Required in production. */
  RECORDING_KEY: z.string().min(32).optional(),
  /** Where recordings are written; default `<DATA_DIR>/recordings`. */
  RECORDINGS_DIR: z.string().min(1).optional(),
  /** Recordings are deleted after this many days even if undelivered (at most 7). */
  RECORDING_RETENTION_DAYS: z.coerce.number().gt(0).max(7, 'recordings are never kept more than 7 days').default(7),
  /** Largest recording part sent to a CRM, in MB (files above are split into WAV parts in order). */
  RECORDING_PART_MAX_MB: z.coerce.number().min(1).max(500).default(50),
  /** Consecutive missed offers after which the ACD sets an agent away (reason `missed`). */
  ACD_MAX_MISSES: z.coerce.number().int().min(1).max(100).default(3),
  /**
   * Zendesk's API for a tenant's subdomain: `{account}` is replaced by it. Only tests and the demo change it (to
   * the fake Zendesk); admins choose a subdomain, never a URL.
   */
  ZENDESK_API_URL: z
    .string()
    .default('https://{account}.zendesk.com')
    .refine((t) => /^https?:\/\/[^\s]+$/.test(t), 'must be an http(s) URL template like https://{account}.zendesk.com'),
  DEMO_SEED: z.enum(['on', 'off']).default('on'),
  DEMO_PASSWORD_ALICE: z.string().min(8).default('alice-demo-pass'),
  DEMO_PASSWORD_BOB: z.string().min(8).default('bob-demo-pass'),
  DEMO_PASSWORD_ADMIN: z.string().min(8).default('admin-demo-pass'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** Set only when PUBLIC_URL is; the bridge otherwise uses the address it listens on. */
  publicUrl: string | undefined;
  dataDir: string;
  databaseUrl: string | undefined;
  media: { publicAddress: string | undefined; iceServers: { urls: string | string[]; username?: string; credential?: string }[] };
  tokenSecret: string | undefined;
  visitorTokenTtlSec: number;
  agentTokenTtlSec: number;
  ringTimeoutSec: number;
  acd: { maxMissesBeforeAway: number };
  recording: { key: string | undefined; dir: string; retentionDays: number; partMaxBytes: number };
  /** Per CRM kind, its API base URL template (`{account}` → the tenant's account). */
  crmApi: Readonly<Record<string, string>>;
  demo: { seed: boolean; passwords: { alice: string; bob: string; admin: string } };
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
}

export function loadConfig(env: Record<string, string | undefined>): Readonly<Config> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw ConfigError.invalid(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const e = parsed.data;
  const missing: string[] = [];
  if (e.NODE_ENV === 'production' && !e.TOKEN_SECRET) missing.push('TOKEN_SECRET: required in production (at least 32 characters)');
  if (e.NODE_ENV === 'production' && !e.ZENDESK_API_URL.startsWith('https://')) missing.push('ZENDESK_API_URL: must be https in production');
  if (e.NODE_ENV === 'production' && !e.RECORDING_KEY) missing.push('RECORDING_KEY: required in production (32 bytes, base64 or hex)');
  if (missing.length > 0) throw ConfigError.invalid(missing);
  return Object.freeze({
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    dataDir: resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    media: { publicAddress: e.MEDIA_PUBLIC_ADDRESS, iceServers: e.ICE_SERVERS },
    tokenSecret: e.TOKEN_SECRET,
    visitorTokenTtlSec: e.VISITOR_TOKEN_TTL_SEC,
    agentTokenTtlSec: e.AGENT_TOKEN_TTL_SEC,
    ringTimeoutSec: e.RING_TIMEOUT_SEC,
    acd: { maxMissesBeforeAway: e.ACD_MAX_MISSES },
    recording: {
      key: e.RECORDING_KEY,
      dir: resolve(e.RECORDINGS_DIR ?? `${e.DATA_DIR}/recordings`),
      retentionDays: e.RECORDING_RETENTION_DAYS,
      partMaxBytes: Math.floor(e.RECORDING_PART_MAX_MB * 1024 * 1024),
    },
    crmApi: { zendesk: e.ZENDESK_API_URL },
    demo: { seed: e.DEMO_SEED === 'on', passwords: { alice: e.DEMO_PASSWORD_ALICE, bob: e.DEMO_PASSWORD_BOB, admin: e.DEMO_PASSWORD_ADMIN } },
    logLevel: e.LOG_LEVEL,
  });
}
