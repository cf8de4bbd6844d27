/**
 * Which Zendesk user an unmapped agent probably is (pure). Only a hint: the page shows it with a "Use suggestion"
 * button and nothing is saved until the admin presses Save.
 *
 * A user matches an agent when their names are equal ignoring case, accents and spacing ("José  Álvarez" is
 * "jose alvarez"), or else when the local part of the user's e-mail is the agent's username (`alice@acme.test` is
 * `alice`). Users already mapped to an agent are never suggested, and two candidates of one kind are no suggestion
 * at all: a guess between namesakes would be a coin toss.
 */
import type { CrmUser } from './admin-api-shapes.js';

/** Letters that do not decompose into a base letter and a combining mark. */
const FOLDS: Readonly<Record<string, string>> = { ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ß: 'ss', æ: 'ae', œ: 'oe', ı: 'i' };

/** A name as compared: compatibility-decomposed, marks dropped, lower case, single spaces, trimmed. */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[øłđðþßæœı]/g, (c) => FOLDS[c] ?? c)
    .replace(/\s+/gu, ' ')
    .trim();
}

/** The part of an e-mail address before its last `@`, lower case; null when there is none. */
export function emailLocalPart(email: string | null): string | null {
  if (email === null) return null;
  const at = email.lastIndexOf('@');
  const local = (at < 0 ? '' : email.slice(0, at)).trim().toLowerCase();
  return local === '' ? null : local;
}

export interface SuggestionAgent {
  readonly username: string;
  readonly displayName: string;
}

/**
 * The user to suggest for `agent`, among `users` whose id is not in `taken` (ids mapped to any agent); null when
 * nobody matches, or when the match is ambiguous.
 */
export function suggestUser(agent: SuggestionAgent, users: readonly CrmUser[], taken: ReadonlySet<string>): CrmUser | null {
  const free = users.filter((u) => !taken.has(u.id));
  const name = nameKey(agent.displayName);
  if (name !== '') {
    const byName = free.filter((u) => nameKey(u.name) === name);
    if (byName.length > 0) return byName.length === 1 ? byName[0]! : null;
  }
  const username = agent.username.trim().toLowerCase();
  const byEmail = free.filter((u) => emailLocalPart(u.email) === username);
  return byEmail.length === 1 ? byEmail[0]! : null;
}
