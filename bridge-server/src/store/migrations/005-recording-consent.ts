import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Recording consent: a recorded queue may play the caller a short announcement ("This call may be recorded …")
 * before an agent is connected. Off by default, so existing queues behave as before. An integer 0/1 rather than
 * a boolean, like every flag of this schema (see `schema.ts`: SQLite has no boolean type), guarded by a CHECK.
 * Each recording row says what its caller heard of it (`recordings.consent`: `played`, `interrupted`, or null when
 * the queue played none), beside the authenticated marker inside the recording itself.
 */
export const recordingConsent: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .alterTable('queues')
      .addColumn('recording_consent', 'integer', (c) => c.notNull().defaultTo(0).check(sql`recording_consent in (0, 1)`))
      .execute();
    await db.schema
      .alterTable('recordings')
      .addColumn('consent', 'text', (c) => c.check(sql`consent is null or consent in ('played', 'interrupted')`))
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('recordings').dropColumn('consent').execute();
    await db.schema.alterTable('queues').dropColumn('recording_consent').execute();
  },
};
