import type { Migration, MigrationProvider } from 'kysely';
import { initial } from './001-initial.js';
import { acd } from './002-acd.js';
import { delivery } from './003-delivery.js';
import { crm } from './004-crm.js';
import { recordingConsent } from './005-recording-consent.js';

/**
 * Every migration, keyed by the name recorded in `kysely_migration`. Kysely runs them in key order, so names
 * keep their zero-padded number prefix. Listed statically rather than read from disk so the server works the same
 * under tsx, a bundler or a compiled build. Never rename or edit an entry once released: add a new one.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '001-initial': initial,
  '002-acd': acd,
  '003-delivery': delivery,
  '004-crm': crm,
  '005-recording-consent': recordingConsent,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...migrations }),
};
