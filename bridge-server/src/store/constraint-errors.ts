/**
 * Recognises constraint violations from either driver by their stable codes, never by message text
 * (CONVENTIONS #4): Postgres SQLSTATE (https://www.postgresql.org/docs/15/errcodes-appendix.html) and SQLite
 * extended result codes as better-sqlite3 names them (https://www.sqlite.org/rescode.html).
 */
function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

export function isUniqueViolation(error: unknown): boolean {
  const code = codeOf(error);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function isForeignKeyViolation(error: unknown): boolean {
  const code = codeOf(error);
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
