import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Recording consent: a recorded queue may play the caller a short announcement ("This call may be recorded …")
 * before an agent is connected. Off by default, so existing queues behave as before. An integer 0/1 rather than
 * a boolean, like every flag of this schema (see `schema.ts`: SQLite has no boolean type), guarded by a CHECK.
 */
export const recordingConsent: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .alterTable('queues')
      .addColumn('recording_consent', 'integer', (c) => c.notNull().defaultTo(0).check(sql`recording_consent in (0, 1)`))
      .execute();
  },

  async down(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('queues').dropColumn('recording_consent').execute();
  },
};
