import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { systemClock, type Clock } from '../clock.js';
import { StoreError } from '../errors.js';
import { isUniqueViolation } from './constraint-errors.js';
import type { Database, TenantTable } from './schema.js';
import { fromIso, toIso } from './timestamps.js';

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  /** Lower-cased SIP domain; also the digest realm of the tenant's agents. */
  sipDomain: string;
  createdAt: Date;
}

export interface NewTenant {
  slug: string;
  name: string;
  sipDomain: string;
}

/** Tenants are the root of ownership: every other repository scopes its queries by a tenant id. */
export class TenantRepo {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, clock: Clock = systemClock) {
    this.#db = db;
    this.#clock = clock;
  }

  /** Throws {@link StoreError} `CONFLICT` when the slug or SIP domain is taken. */
  async create(input: NewTenant): Promise<Tenant> {
    const row: Selectable<TenantTable> = {
      id: randomUUID(),
      slug: input.slug,
      name: input.name,
      sip_domain: normaliseDomain(input.sipDomain),
      created_at: toIso(this.#clock.now()),
    };
    try {
      await this.#db.insertInto('tenants').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw StoreError.conflict(`tenant ${input.slug} or SIP domain ${row.sip_domain}`);
      throw error;
    }
    return toTenant(row);
  }

  async findBySlug(slug: string): Promise<Tenant | null> {
    const row = await this.#db.selectFrom('tenants').selectAll().where('slug', '=', slug).executeTakeFirst();
    return row ? toTenant(row) : null;
  }

  /** Domain names compare case-insensitively (RFC 3261 §19.1.4), so the lookup lower-cases. */
  async findBySipDomain(sipDomain: string): Promise<Tenant | null> {
    const row = await this.#db
      .selectFrom('tenants')
      .selectAll()
      .where('sip_domain', '=', normaliseDomain(sipDomain))
      .executeTakeFirst();
    return row ? toTenant(row) : null;
  }

  /** Throws {@link StoreError} `NOT_FOUND`. */
  async get(id: string): Promise<Tenant> {
    const row = await this.#db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw StoreError.notFound(`tenant ${id}`);
    return toTenant(row);
  }
}

function normaliseDomain(domain: string): string {
  return domain.trim().toLowerCase();
}

function toTenant(row: Selectable<TenantTable>): Tenant {
  return { id: row.id, slug: row.slug, name: row.name, sipDomain: row.sip_domain, createdAt: fromIso(row.created_at) };
}
