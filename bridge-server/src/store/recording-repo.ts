import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { systemClock, type Clock } from '../clock.js';
import { StoreError, TransitionError } from '../errors.js';
import type { TransitionTable } from '../state-machine.js';
import { isForeignKeyViolation } from './constraint-errors.js';
import type { Database, RecordingAccessTable, RecordingConsent, RecordingState, RecordingTable } from './schema.js';
import { fromIso, toIso } from './timestamps.js';

export type { RecordingState } from './schema.js';

/** One rendered WAV part on local disk. */
export interface RecordingPartFile {
  /** 1-based, in playing order. */
  index: number;
  path: string;
  bytes: number;
}

export interface Recording {
  id: string;
  tenantId: string;
  callId: string;
  path: string;
  bytes: number | null;
  durationSec: number | null;
  parts: RecordingPartFile[];
  state: RecordingState;
  error: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
  purgedAt: Date | null;
  purgeReason: string | null;
  /** What the caller heard of the recording-consent announcement; null when the queue played none. */
  consent: RecordingConsent | null;
}

/** One access to a recording (a link served or refused), as the HTTP layer reports it. */
export interface RecordingAccessEntry {
  tenantId: string | null;
  recordingId: string | null;
  /** `agent:<username>`, `crm:<tenant>`, `unknown` … */
  who: string;
  outcome: 'served' | 'denied';
  reason: string;
}

export interface RecordingAccessRecord extends RecordingAccessEntry {
  id: string;
  at: Date;
}

/**
 * A recording's life on local disk:
 * ```
 *   recording ──▶ rendered ──▶ delivered      (the CRM confirmed every part; local files deleted)
 *       │            │
 *       ├──▶ failed ◀┤
 *       ▼     │      ▼
 *     purged ◀┴──────┘                         (retention: older than the limit, delivered or not)
 * ```
 */
export const recordingTransitions: TransitionTable<RecordingState> = {
  recording: ['rendered', 'failed', 'purged'],
  rendered: ['delivered', 'failed', 'purged'],
  failed: ['purged'],
  delivered: [],
  purged: [],
};

const from = (to: RecordingState): RecordingState[] =>
  (Object.keys(recordingTransitions) as RecordingState[]).filter((s) => recordingTransitions[s].includes(to));

/**
 * Recordings and their access audit. Writers are the recorder (create, rendered, failed), the delivery cleanup
 * (delivered) and retention (purged); each change is a conditional update allowed by {@link recordingTransitions}.
 */
export class RecordingRepo {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, clock: Clock = systemClock) {
    this.#db = db;
    this.#clock = clock;
  }

  /** A recording starts with its call. Throws `NOT_FOUND` when the CDR is not the tenant's. */
  async create(input: { tenantId: string; callId: string; path: string; id?: string; consent?: RecordingConsent | null }): Promise<Recording> {
    const row: Selectable<RecordingTable> = {
      id: input.id ?? randomUUID(),
      tenant_id: input.tenantId,
      call_id: input.callId,
      path: input.path,
      bytes: null,
      duration_sec: null,
      parts: '[]',
      state: 'recording',
      error: null,
      created_at: toIso(this.#clock.now()),
      delivered_at: null,
      purged_at: null,
      purge_reason: null,
      consent: input.consent ?? null,
    };
    try {
      await this.#db.insertInto('recordings').values(row).execute();
    } catch (error) {
      if (isForeignKeyViolation(error)) throw StoreError.notFound(`call ${input.callId}`);
      throw error;
    }
    return toRecording(row);
  }

  /** The call ended and its WAV parts are written (`splitWav`'s `WavPart[]` fits `parts`). */
  async rendered(tenantId: string, id: string, r: { bytes: number; durationSec: number; parts: readonly RecordingPartFile[] }): Promise<Recording> {
    // Only what delivery needs: `splitWav`'s parts carry more (durations, offsets) than the column should.
    const parts = r.parts.map(({ index, path, bytes }) => ({ index, path, bytes })).sort((a, b) => a.index - b.index);
    return this.#move(tenantId, id, 'rendered', { bytes: r.bytes, duration_sec: r.durationSec, parts: JSON.stringify(parts) });
  }

  async failed(tenantId: string, id: string, error: string): Promise<Recording> {
    return this.#move(tenantId, id, 'failed', { error });
  }

  /** The CRM confirmed every part and the local files are gone. */
  async delivered(tenantId: string, id: string): Promise<Recording> {
    return this.#move(tenantId, id, 'delivered', { delivered_at: toIso(this.#clock.now()) });
  }

  /** Retention deleted the files; `reason` says why. */
  async purged(tenantId: string, id: string, reason: string): Promise<Recording> {
    return this.#move(tenantId, id, 'purged', { purged_at: toIso(this.#clock.now()), purge_reason: reason });
  }

  /** Throws `NOT_FOUND` for an unknown recording or another tenant's. */
  async get(tenantId: string, id: string): Promise<Recording> {
    const row = await this.#row(tenantId, id);
    if (!row) throw StoreError.notFound(`recording ${id}`);
    return toRecording(row);
  }

  async find(tenantId: string, id: string): Promise<Recording | null> {
    const row = await this.#row(tenantId, id);
    return row ? toRecording(row) : null;
  }

  async byCall(tenantId: string, callId: string): Promise<Recording[]> {
    const rows = await this.#db
      .selectFrom('recordings')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('call_id', '=', callId)
      .orderBy('created_at')
      .execute();
    return rows.map(toRecording);
  }

  /** Recordings of every tenant in `state`, oldest first (at start: render the ones a crash left `recording`). */
  async inState(state: RecordingState): Promise<Recording[]> {
    const rows = await this.#db.selectFrom('recordings').selectAll().where('state', '=', state).orderBy('created_at').execute();
    return rows.map(toRecording);
  }

  /** Recordings of every tenant created before `cutoff` whose files may still be on disk (for retention). */
  async expired(cutoff: Date): Promise<Recording[]> {
    const rows = await this.#db
      .selectFrom('recordings')
      .selectAll()
      .where('state', 'in', ['recording', 'rendered', 'failed'])
      .where('created_at', '<', toIso(cutoff))
      .orderBy('created_at')
      .execute();
    return rows.map(toRecording);
  }

  /**
   * The part files of the tenant's recording in order while they are on disk (`[]` once delivered or purged, or
   * while still recording), or null when the tenant has no such recording. With `partPath` and `audit` this is the
   * HTTP layer's `RecordingAccess`.
   */
  async parts(tenantId: string, id: string): Promise<string[] | null> {
    const row = await this.#row(tenantId, id);
    if (!row) return null;
    return row.state === 'rendered' ? toRecording(row).parts.map((p) => p.path) : [];
  }

  /** The file of one part (1-based) while it is on disk (rendered, not yet delivered or purged), else null. */
  async partPath(tenantId: string, id: string, index: number): Promise<string | null> {
    const row = await this.#row(tenantId, id);
    if (!row || row.state !== 'rendered') return null;
    return toRecording(row).parts.find((p) => p.index === index)?.path ?? null;
  }

  /** Appends to the access audit; never refuses an entry (ids may be null or unknown). */
  async audit(entry: RecordingAccessEntry): Promise<void> {
    const row: Selectable<RecordingAccessTable> = {
      id: randomUUID(),
      tenant_id: entry.tenantId,
      recording_id: entry.recordingId,
      at: toIso(this.#clock.now()),
      who: entry.who,
      outcome: entry.outcome,
      reason: entry.reason,
    };
    await this.#db.insertInto('recording_access').values(row).execute();
  }

  /** The tenant's access audit, oldest first; one recording's when `recordingId` is given. */
  async accessLog(tenantId: string, recordingId?: string): Promise<RecordingAccessRecord[]> {
    let query = this.#db.selectFrom('recording_access').selectAll().where('tenant_id', '=', tenantId);
    if (recordingId !== undefined) query = query.where('recording_id', '=', recordingId);
    const rows = await query.orderBy('at').orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      recordingId: r.recording_id,
      at: fromIso(r.at),
      who: r.who,
      outcome: r.outcome === 'served' ? 'served' : 'denied',
      reason: r.reason,
    }));
  }

  async #move(tenantId: string, id: string, to: RecordingState, patch: Partial<Selectable<RecordingTable>>): Promise<Recording> {
    const result = await this.#db
      .updateTable('recordings')
      .set({ ...patch, state: to })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('state', 'in', from(to))
      .executeTakeFirst();
    const row = await this.#row(tenantId, id);
    if (!row) throw StoreError.notFound(`recording ${id}`);
    if (result.numUpdatedRows === 0n) throw TransitionError.illegal('recording', row.state, to);
    return toRecording(row);
  }

  async #row(tenantId: string, id: string): Promise<Selectable<RecordingTable> | undefined> {
    return this.#db.selectFrom('recordings').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  }
}

function toRecording(row: Selectable<RecordingTable>): Recording {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    callId: row.call_id,
    path: row.path,
    bytes: row.bytes === null ? null : Number(row.bytes),
    durationSec: row.duration_sec === null ? null : Number(row.duration_sec),
    parts: JSON.parse(row.parts) as RecordingPartFile[],
    state: row.state,
    error: row.error,
    createdAt: fromIso(row.created_at),
    deliveredAt: row.delivered_at === null ? null : fromIso(row.delivered_at),
    purgedAt: row.purged_at === null ? null : fromIso(row.purged_at),
    purgeReason: row.purge_reason,
    consent: row.consent ?? null,
  };
}
