/**
 * The subset of Zendesk's search syntax the fake understands ("Zendesk Support search reference"): terms separated
 * by spaces, all of which must match; `keyword:value` with the user keywords `type`, `role`, `email`, `phone`,
 * `name` and `external_id`; `"quoted phrases"` (a quoted value is one term, spaces and all); `*` wildcards; and a
 * leading `-` to negate. A word without a keyword searches name, e-mail and phone. Phone values match the digits of
 * the stored number (the Talk Partner Edition guide: `phone:*5135557611` finds `+1 513.555.7611`).
 *
 * Only users are indexed: a query for other types finds nothing.
 */
import type { FakeZendeskUser } from './fake-zendesk-store.js';

export interface SearchTerm {
  negated: boolean;
  /** Lowercase keyword, or null for a free-text word or phrase. */
  keyword: string | null;
  value: string;
  quoted: boolean;
}

const TERM = /\s*(-)?(?:([A-Za-z_]+):)?(?:"([^"]*)"?|(\S+))/y;

export function parseQuery(query: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  TERM.lastIndex = 0;
  while (TERM.lastIndex < query.length) {
    const at = TERM.lastIndex;
    const m = TERM.exec(query);
    if (!m || TERM.lastIndex === at) break;
    const quoted = m[3] !== undefined;
    const value = quoted ? m[3]! : m[4] ?? '';
    if (value === '' && !quoted) continue;
    terms.push({ negated: m[1] === '-', keyword: m[2]?.toLowerCase() ?? null, value, quoted });
  }
  return terms;
}

export function matchesUser(user: FakeZendeskUser, terms: readonly SearchTerm[]): boolean {
  return terms.length > 0 && terms.every((t) => matchesTerm(user, t) !== t.negated);
}

function matchesTerm(user: FakeZendeskUser, term: SearchTerm): boolean {
  const value = term.value.toLowerCase();
  switch (term.keyword) {
    case 'type':
      return value === 'user';
    case 'role':
      return user.role === value;
    case 'email':
      return user.email !== null && wildcard(value, user.email.toLowerCase());
    case 'phone': {
      const pattern = value.replace(/[^\d*]/g, '');
      return user.phone !== null && pattern.replace(/\*/g, '') !== '' && wildcard(pattern, user.phone.replace(/\D/g, ''));
    }
    case 'name':
      return words(user.name).some((w) => wildcard(value, w)) || user.name.toLowerCase() === value;
    case 'external_id':
      return user.external_id !== null && wildcard(value, user.external_id.toLowerCase());
    case null: {
      const fields = [user.name, user.email ?? '', user.phone ?? ''].map((f) => f.toLowerCase());
      return value.includes('*') ? fields.some((f) => wildcard(value, f)) : fields.some((f) => f.includes(value));
    }
    default:
      return false;
  }
}

/** Whether `text` matches `pattern` in full, `*` standing for any run of characters. */
function wildcard(pattern: string, text: string): boolean {
  const source = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`, 's').test(text);
}

function words(text: string): string[] {
  return text.toLowerCase().split(/\s+/).filter((w) => w !== '');
}
