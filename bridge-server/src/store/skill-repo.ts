import type { Kysely } from 'kysely';
import { systemClock, type Clock } from '../clock.js';
import type { Database } from './schema.js';
import { toIso } from './timestamps.js';

/** The tenant's skill catalog: queues may only require, and agents only hold, skills listed here. */
export class SkillRepo {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, clock: Clock = systemClock) {
    this.#db = db;
    this.#clock = clock;
  }

  async list(tenantId: string): Promise<string[]> {
    const rows = await this.#db.selectFrom('skills').select('name').where('tenant_id', '=', tenantId).orderBy('name').execute();
    return rows.map((r) => r.name);
  }

  /** Add skills that are missing; existing ones stay (safe against a concurrent add). */
  async add(tenantId: string, names: readonly string[]): Promise<void> {
    const unique = [...new Set(names)];
    if (unique.length === 0) return;
    const at = toIso(this.#clock.now());
    await this.#db
      .insertInto('skills')
      .values(unique.map((name) => ({ tenant_id: tenantId, name, created_at: at })))
      .onConflict((oc) => oc.columns(['tenant_id', 'name']).doNothing())
      .execute();
  }

  /** Remove a skill from the catalog (the caller checks nothing still uses it). */
  async remove(tenantId: string, name: string): Promise<boolean> {
    const r = await this.#db.deleteFrom('skills').where('tenant_id', '=', tenantId).where('name', '=', name).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
