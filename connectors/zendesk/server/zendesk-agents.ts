/**
 * The Zendesk account's staff who can take calls, for the admin's agent mapping ({@link CrmUserDirectory}):
 * `GET /api/v2/users.json?role[]=agent&role[]=admin&page[size]=100` (List Users, "Filters the results by more than
 * one role using the format `role[]={role}&role[]={role}`", developer.zendesk.com/api-reference/ticketing/users/
 * users/#list-users), then `links.next` while `meta.has_more` is true (cursor pagination,
 * developer.zendesk.com/api-reference/introduction/pagination/). The client refuses a `next` link off the account's
 * origin, so a tampered answer cannot send the credentials elsewhere.
 *
 * End users never appear (the role filter, and a check of each user's `role` in case the filter is ignored);
 * suspended users (`suspended: true`) and deleted ones (`active: false`) are left out: they cannot take a call.
 */
import { CrmError } from '../../../bridge-server/src/crm/crm-error.js';
import { MAX_CRM_AGENTS, type CrmAgentList, type CrmUser } from '../../../bridge-server/src/crm/crm-user-directory.js';
import type { ZendeskClient } from './zendesk-client.js';
import { userCursorPage, type UserCursorPage } from './zendesk-schemas.js';

/** Zendesk's largest page for List Users (100). */
export const USERS_PAGE_SIZE = 100;

export interface AgentListingLimits {
  /** Default {@link MAX_CRM_AGENTS}. */
  readonly maxUsers?: number;
  /**
   * Pages read at most, whatever `has_more` says (default 30: 3,000 users, room for many suspended ones). A listing
   * that stops here while Zendesk still has more is `truncated`.
   */
  readonly maxPages?: number;
}

const FIRST_PAGE = `/api/v2/users.json?${new URLSearchParams([
  ['role[]', 'agent'],
  ['role[]', 'admin'],
  ['page[size]', String(USERS_PAGE_SIZE)],
])}`;

/** Lists the account's agents and admins (see the module comment), at most `maxUsers` of them. */
export async function listZendeskAgents(client: ZendeskClient, limits: AgentListingLimits = {}): Promise<CrmAgentList> {
  const maxUsers = limits.maxUsers ?? MAX_CRM_AGENTS;
  const maxPages = limits.maxPages ?? 30;
  const users = new Map<string, CrmUser>();
  let path: string | null = FIRST_PAGE;
  for (let pages = 0; path !== null; pages++) {
    if (pages === maxPages) return { users: [...users.values()], truncated: true };
    const page: UserCursorPage = await client.request({ method: 'GET', path, ok: [200], schema: userCursorPage });
    for (const user of page.users) {
      if (user.suspended === true || user.active === false) continue;
      if (user.role !== 'agent' && user.role !== 'admin') continue;
      const id = String(user.id);
      if (users.has(id)) continue;
      if (users.size === maxUsers) return { users: [...users.values()], truncated: true };
      users.set(id, { id, name: user.name, email: user.email?.trim() || null, role: user.role });
    }
    path = nextPage(page);
  }
  return { users: [...users.values()], truncated: false };
}

/** The next page's URL while `has_more`; a page that says there is more without saying where is undocumented. */
function nextPage(page: UserCursorPage): string | null {
  if (!page.meta.has_more) return null;
  const next = page.links.next;
  if (typeof next !== 'string' || next === '') {
    throw CrmError.invalidResponse('Zendesk answered GET /api/v2/users.json with meta.has_more but no links.next');
  }
  return next;
}
