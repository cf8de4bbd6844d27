import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { fromIso, toIso } from './timestamps.js';

/** One queue's ACD figures for one interval; `data` is the ACD's metrics row as it computed it. */
export interface QueueMetricsRow {
  tenantId: string;
  queueId: string;
  intervalStart: Date;
  intervalSec: number;
  data: Record<string, unknown>;
}

/** Per-interval queue metrics for reports; writing an interval again replaces it. */
export class QueueMetricsRepo {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async save(rows: readonly QueueMetricsRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.#db.transaction().execute(async (trx) => {
      for (const r of rows) {
        const key = { tenant_id: r.tenantId, queue_id: r.queueId, interval_start: toIso(r.intervalStart.getTime()) };
        await trx
          .deleteFrom('queue_metrics')
          .where('tenant_id', '=', key.tenant_id)
          .where('queue_id', '=', key.queue_id)
          .where('interval_start', '=', key.interval_start)
          .execute();
        await trx.insertInto('queue_metrics').values({ ...key, interval_sec: r.intervalSec, data: JSON.stringify(r.data) }).execute();
      }
    });
  }

  async list(tenantId: string, opts: { queueId?: string; from?: Date; to?: Date } = {}): Promise<QueueMetricsRow[]> {
    let q = this.#db.selectFrom('queue_metrics').selectAll().where('tenant_id', '=', tenantId);
    if (opts.queueId) q = q.where('queue_id', '=', opts.queueId);
    if (opts.from) q = q.where('interval_start', '>=', toIso(opts.from.getTime()));
    if (opts.to) q = q.where('interval_start', '<', toIso(opts.to.getTime()));
    const rows = await q.orderBy('interval_start').orderBy('queue_id').execute();
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      queueId: r.queue_id,
      intervalStart: fromIso(r.interval_start),
      intervalSec: r.interval_sec,
      data: JSON.parse(r.data) as Record<string, unknown>,
    }));
  }
}
