import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SambungError } from '../errors.js';
import { createDatabase, migrateToLatest } from './database.js';
import { migrations } from './migrations/index.js';
import { createStore } from './store.js';
import { testBackends, type TestDatabase } from './test-backends.js';

describe.each(testBackends())('migrations on $name', (backend) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await backend.setup();
  });
  afterEach(async () => {
    await database.cleanup();
  });

  it('run twice on one connection and again on a new one without error or change', async () => {
    const first = await createStore(database.options);
    await first.tenants.create({ slug: 'acme', name: 'Acme', sipDomain: 'acme.example' });
    await migrateToLatest(first.db);
    await first.close();

    const second = await createStore(database.options);
    try {
      expect(await second.tenants.findBySlug('acme')).toMatchObject({ name: 'Acme' });
      const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(second.db);
      expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations));
    } finally {
      await second.close();
    }
  });

  it('migrates a database beside another already migrated one on the same server', async () => {
    // On Postgres the two are schemas of one database, each with its own kysely_migration table.
    const other = await backend.setup();
    try {
      const a = await createStore(other.options);
      const b = await createStore(database.options);
      await b.tenants.create({ slug: 'b', name: 'B', sipDomain: 'b.example' });
      expect(await a.tenants.findBySlug('b')).toBeNull();
      await Promise.all([a.close(), b.close()]);
    } finally {
      await other.cleanup();
    }
  });

  it('names the failing migration when one cannot run', async () => {
    const db = createDatabase(database.options);
    try {
      await sql`create table tenants (id text primary key)`.execute(db);
      const error = await migrateToLatest(db).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SambungError);
      expect(error).toMatchObject({ code: 'STORE_FAILED', detail: { migration: '001-initial' } });
      expect((error as Error).message).toContain('"001-initial"');
    } finally {
      await db.destroy();
    }
  });

  it('enforces foreign keys', async () => {
    const store = await createStore(database.options);
    try {
      const error = await store.queues
        .create({ tenantId: 'no-such-tenant', name: 'sales', displayName: 'Sales', mode: 'form' })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await store.close();
    }
  });
});

describe('database selection', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sambung-db-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('defaults to a WAL-mode SQLite file in a data directory it creates', async () => {
    const nested = join(dataDir, 'a', 'b');
    const store = await createStore({ dataDir: nested });
    try {
      expect((await stat(join(nested, 'sambung.sqlite'))).isFile()).toBe(true);
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
      expect(mode.rows[0]?.journal_mode).toBe('wal');
      const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(store.db);
      expect(fk.rows[0]?.foreign_keys).toBe(1);
      const busy = await sql<{ timeout: number }>`pragma busy_timeout`.execute(store.db);
      expect(busy.rows[0]?.timeout).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });

  it('opens an in-memory SQLite database for sqlite::memory: without touching the data directory', async () => {
    const store = await createStore({ databaseUrl: 'sqlite::memory:', dataDir: join(dataDir, 'unused') });
    try {
      await store.tenants.create({ slug: 'm', name: 'M', sipDomain: 'm.example' });
      expect(await store.tenants.findBySlug('m')).not.toBeNull();
      await expect(stat(join(dataDir, 'unused'))).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await store.close();
    }
  });

  it('rejects an unsupported URL with CONFIG_INVALID and never echoes its credentials', () => {
    for (const url of ['mysql://root:s3cret@db/x', 'http://u:s3cret@h/x', 'not a url']) {
      let error: unknown;
      try {
        createDatabase({ databaseUrl: url, dataDir });
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
      expect((error as Error).message).not.toContain('s3cret');
    }
  });

  it('answers a ping while open, closes idempotently, and refuses a ping once closed', async () => {
    const store = await createStore({ databaseUrl: 'sqlite::memory:', dataDir });
    await store.ping();
    await Promise.all([store.close(), store.close()]);
    await store.close();
    await expect(store.ping()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('reports an unreachable Postgres as STORE_FAILED without leaking the password', async () => {
    // Port 1 on loopback: nothing listens, so the connection is refused at once.
    const error = await createStore({ databaseUrl: 'postgres://u:s3cret@127.0.0.1:1/x', dataDir }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORE_FAILED' });
    expect((error as Error).message).not.toContain('s3cret');
  });
});
