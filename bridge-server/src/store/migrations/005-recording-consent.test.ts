import { Migrator, sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase } from '../database.js';
import { QueueRepo } from '../queue-repo.js';
import type { Database } from '../schema.js';
import { testBackends, type TestDatabase } from '../test-backends.js';
import { migrationProvider } from './index.js';

describe.each(testBackends())('migration 005-recording-consent on $name', (backend) => {
  let database: TestDatabase;
  let db: Kysely<Database>;
  let migrator: Migrator;

  beforeEach(async () => {
    database = await backend.setup();
    db = createDatabase(database.options);
    const schema = backend.name === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]!.s : undefined;
    migrator = new Migrator({ db, provider: migrationProvider, migrationTableSchema: schema });
    const before = await migrator.migrateTo('004-crm');
    if (before.error) throw before.error;
    await db.insertInto('tenants').values({ id: 't1', slug: 'acme', name: 'Acme', sip_domain: 'acme.example', created_at: '2026-11-21T10:00:00.000Z' }).execute();
    await db
      .insertInto('queues')
      .values({ id: 'q1', tenant_id: 't1', name: 'sales', display_name: 'Sales', mode: 'form', created_at: '2026-11-21T10:00:00.000Z' })
      .execute();
  });
  afterEach(async () => {
    await db.destroy();
    await database.cleanup();
  });

  it('turns consent off for the queues that already exist, and the repository reads and writes the flag', async () => {
    const { error } = await migrator.migrateToLatest();
    expect(error).toBeUndefined();
    const queues = new QueueRepo(db);
    expect(await queues.get('t1', 'q1')).toMatchObject({ name: 'sales', recordingConsent: false });
    expect(await queues.update('t1', 'q1', { recordingConsent: true })).toMatchObject({ recordingConsent: true });
    expect(await queues.update('t1', 'q1', { displayName: 'Sales team' })).toMatchObject({ recordingConsent: true }); // absent: unchanged
    const created = await queues.create({ tenantId: 't1', name: 'support', displayName: 'Support', mode: 'direct' });
    expect(created.recordingConsent).toBe(false);
    expect((await queues.create({ tenantId: 't1', name: 'vip', displayName: 'VIP', mode: 'form', recordingConsent: true })).recordingConsent).toBe(true);
    expect((await queues.findByName('t1', 'vip'))?.recordingConsent).toBe(true);
  });

  it('refuses a value other than 0 or 1 at the database, and goes down cleanly', async () => {
    await migrator.migrateToLatest();
    await expect(sql`update queues set recording_consent = 2 where id = 'q1'`.execute(db)).rejects.toThrow();
    const down = await migrator.migrateDown();
    expect(down.error).toBeUndefined();
    expect(down.results?.[0]).toMatchObject({ migrationName: '005-recording-consent', status: 'Success' });
    await expect(sql`select recording_consent from queues`.execute(db)).rejects.toThrow();
    expect((await db.selectFrom('queues').select('name').execute()).map((r) => r.name)).toEqual(['sales']);
  });
});
