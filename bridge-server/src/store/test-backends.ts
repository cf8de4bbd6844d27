import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach } from 'vitest';
import type { Clock } from '../clock.js';
import type { DatabaseOptions } from './database.js';
import { createStore, type Store } from './store.js';

/**
 * Test support: the databases the store's tests run against. SQLite always (a file in a fresh temporary
 * directory, exercising the default path); Postgres when `TEST_DATABASE_URL` is set, each setup in a fresh
 * schema selected through `search_path` and dropped afterwards, so runs and parallel test files never share rows.
 */
export interface TestBackend {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty database; `cleanup` removes it. */
  setup(): Promise<TestDatabase>;
}

export interface TestDatabase {
  options: DatabaseOptions;
  cleanup(): Promise<void>;
}

const sqlite: TestBackend = {
  name: 'sqlite',
  async setup() {
    const dataDir = await mkdtemp(join(tmpdir(), 'sambung-store-'));
    return { options: { dataDir }, cleanup: () => rm(dataDir, { recursive: true, force: true }) };
  },
};

function postgres(baseUrl: string): TestBackend {
  return {
    name: 'postgres',
    async setup() {
      const schema = `sambung_test_${randomBytes(6).toString('hex')}`;
      await admin(baseUrl, `create schema ${schema}`);
      const url = new URL(baseUrl);
      url.searchParams.set('options', `-c search_path=${schema}`);
      return {
        options: { databaseUrl: url.toString(), dataDir: tmpdir() },
        cleanup: () => admin(baseUrl, `drop schema ${schema} cascade`),
      };
    },
  };
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Reads the environment here, in test support only; production code gets its configuration passed in. */
export function testBackends(): TestBackend[] {
  const url = process.env['TEST_DATABASE_URL'];
  return url ? [sqlite, postgres(url)] : [sqlite];
}

/**
 * Registers hooks giving each test of the surrounding `describe` a freshly migrated store on `backend`, closed
 * and removed afterwards. Returns an accessor for the current test's store.
 */
export function useStore(backend: TestBackend, opts: { clock?: Clock } = {}): () => Store {
  let database: TestDatabase | undefined;
  let store: Store | undefined;
  beforeEach(async () => {
    database = await backend.setup();
    store = await createStore({ ...database.options, ...opts });
  });
  afterEach(async () => {
    await store?.close();
    await database?.cleanup();
    store = database = undefined;
  });
  return () => {
    if (!store) throw new Error('useStore: no store outside a test');
    return store;
  };
}
