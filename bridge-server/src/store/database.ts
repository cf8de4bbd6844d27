import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresAdapter, PostgresDialect, SqliteDialect, sql, type Dialect } from 'kysely';
import pg from 'pg';
import { ConfigError, StoreError } from '../errors.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

export interface DatabaseOptions {
  /**
   * Where the data lives. Absent: a SQLite file `<dataDir>/sambung.sqlite`. Accepted otherwise:
   * `postgres://…` or `postgresql://…` (a pg pool), `sqlite::memory:` (tests), `sqlite:<path>` (a SQLite file
   * elsewhere, relative to the working directory).
   */
  databaseUrl?: string | undefined;
  /** Directory for the default SQLite file; created when missing. */
  dataDir: string;
}

/** How long a SQLite writer waits for another connection's lock before failing with SQLITE_BUSY. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * Opens the database named by `opts` (no queries are run yet for Postgres: the pool connects lazily).
 * Throws {@link ConfigError} (`CONFIG_INVALID`) for a URL we do not support; the message names only the
 * scheme so a password in the URL never reaches a log.
 */
export function createDatabase(opts: DatabaseOptions): Kysely<Database> {
  return new Kysely<Database>({ dialect: dialectFor(opts) });
}

function dialectFor({ databaseUrl, dataDir }: DatabaseOptions): Dialect {
  const url = databaseUrl?.trim();
  if (url === undefined || url === '') {
    mkdirSync(dataDir, { recursive: true });
    return sqliteDialect(join(dataDir, 'sambung.sqlite'));
  }
  if (url === 'sqlite::memory:') return sqliteDialect(':memory:');
  if (url.startsWith('sqlite:')) {
    const file = resolve(url.slice('sqlite:'.length));
    mkdirSync(resolve(file, '..'), { recursive: true });
    return sqliteDialect(file);
  }
  if (/^postgres(ql)?:\/\//i.test(url)) {
    return new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) });
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  throw ConfigError.invalid([
    `database URL: unsupported ${scheme ? `scheme "${scheme}:"` : 'value'}; use postgres://…, postgresql://…, ` +
      'sqlite::memory:, sqlite:<path>, or leave it unset for a SQLite file in the data directory',
  ]);
}

function sqliteDialect(file: string): Dialect {
  let sqlite: BetterSqlite3.Database;
  try {
    sqlite = new BetterSqlite3(file);
  } catch (cause) {
    throw new StoreError('STORE_FAILED', `cannot open SQLite database ${file}`, { cause });
  }
  // WAL lets readers proceed during a write; foreign keys are off by default in SQLite and must be enabled
  // per connection (https://www.sqlite.org/foreignkeys.html §2). WAL does not apply to in-memory databases.
  if (file !== ':memory:') sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  return new SqliteDialect({ database: sqlite });
}

/**
 * Brings the schema to the newest migration; a no-op when it already is. Safe to run at every start and from
 * several nodes at once (Kysely takes a lock: a table lock on SQLite, an advisory lock on Postgres).
 * Throws {@link StoreError} `STORE_FAILED` naming the failing migration, with the driver's error as `cause`.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  let migrationTableSchema: string | undefined;
  try {
    migrationTableSchema = await postgresSchema(db);
  } catch (cause) {
    if (cause instanceof StoreError) throw cause;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new StoreError('STORE_FAILED', `cannot reach the database: ${reason}`, { cause });
  }
  const migrator = new Migrator({ db, provider: migrationProvider, migrationTableSchema });
  const { error, results } = await migrator.migrateToLatest();
  if (error === undefined) return;
  const failed = results?.find((r) => r.status === 'Error')?.migrationName;
  const reason = error instanceof Error ? error.message : String(error);
  throw new StoreError(
    'STORE_FAILED',
    failed ? `migration "${failed}" failed: ${reason}` : `migrations failed: ${reason}`,
    { cause: error, detail: failed ? { migration: failed } : {} },
  );
}

/**
 * On Postgres, the schema our unqualified tables go to (the first of `search_path`). Kysely's migrator looks for
 * its bookkeeping tables in every schema unless told one, so a `kysely_migration` table left by another
 * application (or another Sambung) in a different schema of the same database would make it skip creating ours.
 */
async function postgresSchema(db: Kysely<Database>): Promise<string | undefined> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return undefined;
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new StoreError('STORE_FAILED', 'Postgres has no current schema: check search_path');
  return schema;
}
