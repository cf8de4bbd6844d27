import { rm } from 'node:fs/promises';
import type { Clock, TimerHandle } from '../../clock.js';
import { ConfigError } from '../../errors.js';
import type { RecordingRepo, RecordingState } from '../../store/recording-repo.js';
import { recordingGroup } from './delivery-plan.js';
import type { Outbox } from './outbox.js';

/** Recordings are never kept longer than this (issue 4; Google CCAI Platform's rule). */
export const MAX_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/** The reason parked delivery jobs show. */
export const PURGED_BY_RETENTION = 'recording purged by retention';

export interface RetentionOptions {
  recordings: Pick<RecordingRepo, 'expired' | 'purged'>;
  outbox: Pick<Outbox, 'parkGroup'>;
  clock: Clock;
  /** At most {@link MAX_RETENTION_MS} (the default); lower if the tenant's policy says so. */
  retentionMs?: number;
  /** Deletes a file or directory, succeeding when already gone; default `fs.rm({ force, recursive })`. */
  remove?: (path: string) => Promise<void>;
  /** How often `start()` sweeps (default hourly). */
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

export interface PurgedRecording {
  tenantId: string;
  recordingId: string;
  callId: string;
  /** Its state before the purge: anything but `delivered` means the CRM never got all of it. */
  was: RecordingState;
  deleted: string[];
  parkedJobs: number;
}

export interface PurgeReport {
  cutoff: Date;
  purged: PurgedRecording[];
  /** Recordings whose files could not be deleted; they stay as they were and the next sweep tries again. */
  failed: Array<{ tenantId: string; recordingId: string; error: string }>;
}

/**
 * Deletes every recording older than the retention from disk — delivered or not — and records that it did: the
 * row becomes `purged` with the reason, and its delivery jobs still waiting are parked with
 * "recording purged by retention" so an operator sees why the CRM never got them. Order per recording: park the jobs
 * (no part upload starts on a file being deleted), delete the files, mark the row; a crash in between is repaired
 * by the next sweep, because every step is idempotent.
 */
export class RecordingRetention {
  readonly #o: RetentionOptions;
  readonly #retentionMs: number;
  readonly #remove: (path: string) => Promise<void>;
  #timer: TimerHandle | undefined;
  #closed = false;

  constructor(options: RetentionOptions) {
    const retentionMs = options.retentionMs ?? MAX_RETENTION_MS;
    if (!(retentionMs > 0 && retentionMs <= MAX_RETENTION_MS)) {
      throw ConfigError.invalid([`recording retention must be more than 0 and at most 7 days, got ${retentionMs} ms`]);
    }
    this.#o = options;
    this.#retentionMs = retentionMs;
    this.#remove = options.remove ?? ((path) => rm(path, { force: true, recursive: true }));
  }

  async purgeExpired(now: Date = new Date(this.#o.clock.now())): Promise<PurgeReport> {
    const cutoff = new Date(now.getTime() - this.#retentionMs);
    const report: PurgeReport = { cutoff, purged: [], failed: [] };
    const days = +(this.#retentionMs / 86_400_000).toFixed(2);
    for (const recording of await this.#o.recordings.expired(cutoff)) {
      const { tenantId, id } = recording;
      try {
        const parkedJobs = await this.#o.outbox.parkGroup(tenantId, recordingGroup(id), PURGED_BY_RETENTION);
        const paths = [...recording.parts.map((p) => p.path), recording.path];
        for (const path of paths) await this.#remove(path);
        const reason = `retention: older than ${days} days (${recording.state === 'rendered' ? 'not delivered' : recording.state})`;
        await this.#o.recordings.purged(tenantId, id, reason);
        report.purged.push({ tenantId, recordingId: id, callId: recording.callId, was: recording.state, deleted: paths, parkedJobs });
      } catch (error) {
        report.failed.push({ tenantId, recordingId: id, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return report;
  }

  /** Sweeps now and every `intervalMs`. */
  start(): void {
    if (this.#timer || this.#closed) return;
    const sweep = (): void => {
      this.#timer = this.#o.clock.setTimeout(sweep, this.#o.intervalMs ?? 60 * 60_000);
      this.purgeExpired().catch((error) => this.#o.onError?.(error));
    };
    sweep();
  }

  close(): void {
    this.#closed = true;
    this.#timer?.cancel();
    this.#timer = undefined;
  }
}
