/**
 * One agent's choice of Zendesk user when the directory is listed (pure): the select's options and labels, what is
 * pre-selected, and the suggestion. Every label is text built from what Zendesk and the agents' names say; the view
 * puts it in through `textContent`.
 *
 * ```
 *   Not mapped                                     value ''
 *   Zendesk user #42 (not an agent any more)       the current mapping when a full list lacks it
 *   Alice Agent — alice@acme.test                  value = the user's id
 *   Bob Agent — bob@acme.test (mapped to Bob)      still selectable; Save then refuses a second agent
 *   Other (type the id)                            only when the list is partial (truncated)
 * ```
 */
import type { CrmUser } from './admin-api-shapes.js';
import type { AgentMappingRow } from './agent-mapping-model.js';
import { suggestUser } from './crm-user-suggestion.js';

/** The select's value for "not mapped". */
export const NOT_MAPPED = '';
/** The select's value for "type the id": never a user's id (ids are `[A-Za-z0-9_.:-]`, see `readCrmUsers`). */
export const OTHER_USER = '#other';

export interface UserOption {
  readonly value: string;
  readonly label: string;
}

export interface UserPicker {
  readonly options: readonly UserOption[];
  /** The value to pre-select: the current mapping, or {@link NOT_MAPPED}, or {@link OTHER_USER}. */
  readonly selected: string;
  /** What the typed-id input holds when {@link OTHER_USER} is selected (the current id when the partial list lacks it). */
  readonly typed: string;
  /** Only for an unmapped agent. */
  readonly suggestion: UserOption | null;
}

/** "Alice Agent — alice@acme.test"; a user without a name is called by their id. */
export function userLabel(user: CrmUser): string {
  const name = user.name.trim() === '' ? `Zendesk user #${user.id}` : user.name;
  return user.email ? `${name} — ${user.email}` : name;
}

/** How the page names the Zendesk user `id`: their label when the directory knows them, else the bare id. */
export function crmUserName(id: string, users: readonly CrmUser[] | null): string {
  const user = users?.find((u) => u.id === id);
  return user ? userLabel(user) : id;
}

/** The agents mapped to each Zendesk user id (more than one only if they were mapped so before this check). */
export function mappedAgents(rows: readonly AgentMappingRow[]): ReadonlyMap<string, readonly AgentMappingRow[]> {
  const byUser = new Map<string, AgentMappingRow[]>();
  for (const row of rows) {
    if (row.crmUserId === null) continue;
    const list = byUser.get(row.crmUserId) ?? [];
    list.push(row);
    byUser.set(row.crmUserId, list);
  }
  return byUser;
}

/**
 * The picker of `row`, given who is mapped to whom (`mappedAgents` of every row: to label users mapped to someone
 * else) and the listed users.
 */
export function userPicker(
  row: AgentMappingRow,
  mapped: ReadonlyMap<string, readonly AgentMappingRow[]>,
  users: readonly CrmUser[],
  truncated: boolean,
): UserPicker {
  const listed = users.some((u) => u.id === row.crmUserId);
  const options: UserOption[] = [{ value: NOT_MAPPED, label: 'Not mapped' }];
  let selected = row.crmUserId ?? NOT_MAPPED;
  let typed = '';
  if (row.crmUserId !== null && !listed) {
    if (truncated) {
      // Beyond the partial list is not "gone": keep the id, typed.
      selected = OTHER_USER;
      typed = row.crmUserId;
    } else {
      options.push({ value: row.crmUserId, label: `Zendesk user #${row.crmUserId} (not an agent any more)` });
    }
  }
  for (const user of users) {
    const others = (mapped.get(user.id) ?? []).filter((r) => r.username !== row.username);
    const owner = others.length > 0 ? ` (mapped to ${others.map((r) => r.displayName).join(', ')})` : '';
    options.push({ value: user.id, label: `${userLabel(user)}${owner}` });
  }
  if (truncated) options.push({ value: OTHER_USER, label: 'Other (type the id)' });
  const suggested = row.crmUserId === null ? suggestUser(row, users, new Set(mapped.keys())) : null;
  return { options, selected, typed, suggestion: suggested ? { value: suggested.id, label: userLabel(suggested) } : null };
}
