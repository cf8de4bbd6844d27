/**
 * Each tenant's CRM connection: connecting (validate, check the credentials against the CRM, seal them, store),
 * the status an admin sees, the adapter deliveries and screen pops use, and the CRM's staff list for the admin's
 * agent mapping.
 *
 * - Credentials are sealed with {@link SecretBox} before they reach the store and only opened here, in memory, to
 *   build the adapter. No API returns them and no log line contains them.
 * - When the CRM refuses the credentials (an `auth` failure on any call) the connection turns
 *   `reconnect-required` with the CRM's reason; {@link CrmConnections.connection} then returns null, so deliveries
 *   wait in the outbox (`waiting-auth`) instead of hammering the CRM, until an admin connects again.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import { HttpError } from '../errors.js';
import type { CrmConnection } from '../recordings/outbox/delivery-handlers.js';
import type { CrmConnectionRepo, StoredCrmConnection } from '../store/crm-connection-repo.js';
import { guardAuth } from './auth-guard.js';
import type { CrmContext } from './crm-adapter.js';
import type { CrmConnectorOptions } from './crm-connector.js';
import { CrmError, isCrmError } from './crm-error.js';
import { canCheckConnection } from './crm-screen-pop.js';
import { canListAgents, MAX_CRM_AGENTS, type CrmAgentList } from './crm-user-directory.js';
import type { AnyCrmConnector } from './connectors.js';
import type { SecretBox } from './secret-box.js';

/** What `PUT /api/admin/crm` accepts; `settings` and `secret` are checked by the connector's own schemas. */
export const connectBody = z.object({
  kind: z.string().min(1).max(32),
  /** IANA zone for names like "Web User – 11/22 06:05". */
  timeZone: z
    .string()
    .default('UTC')
    .refine((zone) => isTimeZone(zone), 'must be an IANA time zone like Asia/Jakarta'),
  settings: z.record(z.string(), z.unknown()).default({}),
  secret: z.record(z.string(), z.unknown()),
});

/** A connection as an admin sees it: never the credentials. */
export interface CrmConnectionStatus {
  readonly kind: string;
  readonly status: 'connected' | 'reconnect-required';
  /** Why it needs reconnecting (the CRM's words), or null. */
  readonly reason: string | null;
  readonly accountUser: string | null;
  readonly timeZone: string;
  readonly settings: Record<string, unknown>;
  readonly hasAppKey: boolean;
  readonly updatedAt: string;
}

/** The CRM's staff for the agent mapping; `listable` is false when the connector cannot list users at all. */
export interface CrmAgentDirectory extends CrmAgentList {
  readonly listable: boolean;
}

/** A connected tenant's adapter, context and settings. */
export interface LiveCrmConnection extends CrmConnection {
  readonly kind: string;
  readonly settings: Record<string, unknown>;
}

export interface CrmConnectionsOptions {
  readonly repo: CrmConnectionRepo;
  readonly box: SecretBox;
  readonly connectors: readonly AnyCrmConnector[];
  /** Where each CRM's API is (production: the vendor; tests and the demo: the fake). */
  readonly connectorOptions: (kind: string) => CrmConnectorOptions;
  readonly log: Logger;
}

export class CrmConnections {
  readonly #o: CrmConnectionsOptions;
  readonly #cache = new Map<string, { updatedAt: string; live: LiveCrmConnection }>();

  constructor(options: CrmConnectionsOptions) {
    this.#o = options;
  }

  /** Validates, checks the credentials with the CRM and stores the connection (replacing any earlier one). */
  async connect(tenantId: string, body: unknown): Promise<CrmConnectionStatus> {
    const input = connectBody.safeParse(body);
    if (!input.success) throw HttpError.badRequest('invalid CRM connection', fieldErrors(input.error));
    const connector = this.#connector(input.data.kind);
    if (!connector) throw HttpError.badRequest(`unknown CRM kind "${input.data.kind}" (known: ${this.#kinds()})`);
    const settings = connector.settings.safeParse(input.data.settings);
    if (!settings.success) throw HttpError.badRequest(`invalid ${connector.kind} settings`, fieldErrors(settings.error));
    const secret = connector.secret.safeParse(input.data.secret);
    if (!secret.success) throw HttpError.badRequest(`invalid ${connector.kind} credentials`, fieldErrors(secret.error, true));

    const adapter = connector.create(settings.data, secret.data, this.#o.connectorOptions(connector.kind));
    const ctx: CrmContext = { tenantId, timeZone: input.data.timeZone };
    let accountUser: string | null = null;
    if (canCheckConnection(adapter)) {
      try {
        accountUser = (await adapter.checkConnection(ctx)).user;
      } catch (error) {
        const why = isCrmError(error) ? error.message : 'the CRM did not answer';
        throw HttpError.badRequest(`${connector.kind} refused the connection: ${why}`);
      }
    }
    await this.#o.repo.save(tenantId, {
      kind: connector.kind,
      settings: { ...settings.data, timeZone: input.data.timeZone },
      sealedSecret: this.#o.box.seal(tenantId, JSON.stringify(secret.data)),
      accountUser,
    });
    this.#cache.delete(tenantId);
    this.#o.log.info({ tenantId, kind: connector.kind }, 'CRM connected');
    return (await this.status(tenantId))!;
  }

  async status(tenantId: string): Promise<CrmConnectionStatus | null> {
    const stored = await this.#o.repo.get(tenantId);
    if (!stored) return null;
    const { timeZone, ...settings } = asRecord(stored.settings);
    return {
      kind: stored.kind,
      status: stored.status,
      reason: stored.statusReason,
      accountUser: stored.accountUser,
      timeZone: typeof timeZone === 'string' ? timeZone : 'UTC',
      settings,
      hasAppKey: stored.hasAppKey,
      updatedAt: stored.updatedAt,
    };
  }

  async disconnect(tenantId: string): Promise<boolean> {
    this.#cache.delete(tenantId);
    return this.#o.repo.remove(tenantId);
  }

  /**
   * The tenant's adapter (wrapped so an `auth` failure flips the status), or null when the tenant has no
   * connection, it needs reconnecting, or its stored credentials cannot be opened or validated any more.
   */
  async connection(tenantId: string): Promise<LiveCrmConnection | null> {
    const stored = await this.#o.repo.get(tenantId);
    if (!stored || stored.status !== 'connected') return null;
    const cached = this.#cache.get(tenantId);
    if (cached?.updatedAt === stored.updatedAt) return cached.live;
    const live = this.#build(stored);
    if (!live) {
      await this.authFailed(tenantId, 'the stored credentials cannot be read (was the key changed?): connect the CRM again');
      return null;
    }
    this.#cache.set(tenantId, { updatedAt: stored.updatedAt, live });
    return live;
  }

  /**
   * The tenant's CRM users who can take calls ({@link CrmUserDirectory}), at most {@link MAX_CRM_AGENTS}; null when
   * no CRM is connected; `listable: false` with no users when the connector cannot list them. A connection that
   * needs reconnecting fails as `auth` with its reason; an `auth` failure of the listing itself turns the connection
   * `reconnect-required` (through the adapter's guard) before this rejects. Other failures are the adapter's
   * `CrmError`s, unchanged.
   */
  async listAgents(tenantId: string): Promise<CrmAgentDirectory | null> {
    const live = await this.connection(tenantId);
    if (!live) {
      const status = await this.status(tenantId);
      if (!status) return null;
      throw CrmError.auth(status.reason ?? 'the connection needs reconnecting');
    }
    if (!canListAgents(live.adapter)) return { users: [], truncated: false, listable: false };
    const list = await live.adapter.listAgents(live.ctx);
    const bounded = list.users.length > MAX_CRM_AGENTS;
    return { users: bounded ? list.users.slice(0, MAX_CRM_AGENTS) : list.users, truncated: list.truncated || bounded, listable: true };
  }

  /** How people call the CRM of `kind` ("Zendesk"); the kind itself when no connector has it. */
  displayName(kind: string): string {
    return this.#connector(kind)?.displayName ?? kind;
  }

  /** Marks the connection `reconnect-required`; deliveries wait until an admin connects again. */
  async authFailed(tenantId: string, reason: string): Promise<void> {
    this.#cache.delete(tenantId);
    if (await this.#o.repo.setStatus(tenantId, 'reconnect-required', reason)) {
      this.#o.log.warn({ tenantId, reason }, 'CRM refused our credentials: the tenant must reconnect it');
    }
  }

  /** A new key for the CRM app (e.g. Zendesk's secure `tenant_key` setting), shown once; the store keeps its hash. */
  async newAppKey(tenantId: string): Promise<string | null> {
    const key = `sbk_${randomBytes(24).toString('base64url')}`;
    return (await this.#o.repo.setAppKeyHash(tenantId, hashAppKey(key))) ? key : null;
  }

  /** The tenant a CRM app key belongs to, or null. */
  tenantOfAppKey(key: string): Promise<string | null> {
    return this.#o.repo.tenantOfAppKey(hashAppKey(key));
  }

  #build(stored: StoredCrmConnection): LiveCrmConnection | null {
    const connector = this.#connector(stored.kind);
    const opened = this.#o.box.open(stored.tenantId, stored.sealedSecret);
    if (!connector || opened === null) return null;
    const { timeZone, ...rest } = asRecord(stored.settings);
    const settings = connector.settings.safeParse(rest);
    const secret = connector.secret.safeParse(safeJson(opened));
    if (!settings.success || !secret.success) return null;
    const adapter = guardAuth(connector.create(settings.data, secret.data, this.#o.connectorOptions(connector.kind)), (reason) => {
      return this.authFailed(stored.tenantId, reason).catch((error: unknown) => {
        this.#o.log.error({ tenantId: stored.tenantId, err: error }, 'could not mark the CRM connection reconnect-required');
      });
    });
    const ctx: CrmContext = { tenantId: stored.tenantId, timeZone: typeof timeZone === 'string' ? timeZone : 'UTC' };
    const keepsRecordingLinks = connector.keepsRecordingLinks?.(settings.data) ?? false;
    return { kind: connector.kind, adapter, ctx, settings: settings.data as Record<string, unknown>, keepsRecordingLinks };
  }

  #connector(kind: string): AnyCrmConnector | undefined {
    return this.#o.connectors.find((c) => c.kind === kind);
  }

  #kinds(): string {
    return this.#o.connectors.map((c) => c.kind).join(', ');
  }
}

export function hashAppKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Field errors for a 400; for credentials only the paths, never the values (they may be most of a token). */
function fieldErrors(error: z.ZodError, hideValues = false): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || '(root)';
    (out[key] ??= []).push(hideValues ? 'invalid or missing' : issue.message);
  }
  return out;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
