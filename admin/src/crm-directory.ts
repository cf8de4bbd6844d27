/**
 * The CRM's agents as the mapping table knows them (pure): the answer of `GET /api/admin/crm/users`, or why there
 * is no list — and then the typed-id input stays the way to map.
 *
 * ```
 *   200 listable, ≥ 1 user             → listed        a select per agent ("partial" note when truncated)
 *   200 listable, no user              → empty         typed ids, "Zendesk listed no agents"
 *   200 listable: false                → not-listable  typed ids, "Zendesk cannot list its agents here"
 *   404 (no CRM connected)             → not-connected typed ids, "connect Zendesk to pick from a list"
 *   409 (credentials refused), 502, …  → failed        typed ids; the bridge's sentence in the card's error line
 * ```
 */
import type { CrmConnectionStatus, CrmUser, CrmUserList } from './admin-api-shapes.js';
import { describeAdminError, isAdminError } from './admin-errors.js';

export type CrmDirectory =
  | { readonly state: 'listed'; readonly users: readonly CrmUser[]; readonly truncated: boolean }
  | { readonly state: 'empty' }
  | { readonly state: 'not-listable' }
  | { readonly state: 'not-connected' }
  | { readonly state: 'failed'; readonly message: string };

/** A line under the table: `error` goes to the card's error line (an alert), `note` to its note. */
export interface DirectoryNotice {
  readonly tone: 'error' | 'note';
  readonly text: string;
}

const TYPE_THE_ID = "type each agent's Zendesk user id (the number at the end of the agent's profile address in Zendesk)";

export function directoryOf(list: CrmUserList): CrmDirectory {
  if (!list.listable) return { state: 'not-listable' };
  if (list.users.length === 0) return { state: 'empty' };
  return { state: 'listed', users: list.users, truncated: list.truncated };
}

/** Why the list could not be read. A 404 is not a failure: no CRM is connected yet. */
export function directoryFailure(error: unknown): CrmDirectory {
  if (isAdminError(error) && error.code === 'ADMIN_ERR_REJECTED' && error.status === 404) return { state: 'not-connected' };
  return { state: 'failed', message: describeAdminError(error) };
}

/** The users to pick from, or null when the table keeps the typed-id input. */
export function pickableUsers(directory: CrmDirectory): readonly CrmUser[] | null {
  return directory.state === 'listed' ? directory.users : null;
}

/** The sentence above the table. */
export function mappingHint(directory: CrmDirectory): string {
  const why = 'the screen pop opens for that user and the voice ticket names them.';
  return directory.state === 'listed' ? `Pick each agent's Zendesk user: ${why}` : `Map each agent to their Zendesk user id (the number at the end of the agent's profile address in Zendesk): ${why}`;
}

export function directoryNotice(directory: CrmDirectory): DirectoryNotice | null {
  switch (directory.state) {
    case 'listed':
      return directory.truncated
        ? {
            tone: 'note',
            text: `Zendesk has more agents than Sambung lists: the list shows the first ${directory.users.length}. For anyone else, choose "Other (type the id)" and type their Zendesk user id.`,
          }
        : null;
    case 'empty':
      return { tone: 'note', text: `Zendesk listed no agents or admins, so ${TYPE_THE_ID}.` };
    case 'not-listable':
      return { tone: 'note', text: `The connected CRM cannot list its agents here, so ${TYPE_THE_ID}.` };
    case 'not-connected':
      return { tone: 'note', text: `Connect Zendesk to pick agents from a list. Until then you can ${TYPE_THE_ID}.` };
    case 'failed':
      return { tone: 'error', text: `Could not list the Zendesk agents: ${withStop(directory.message)} You can still ${TYPE_THE_ID}, or reload the list.` };
  }
}

/** Whether "Reload the list" makes sense: the CRM is there and may answer differently now. */
export function canReloadDirectory(directory: CrmDirectory): boolean {
  return directory.state === 'listed' || directory.state === 'empty' || directory.state === 'failed';
}

/**
 * What of the CRM connection the directory depends on: when this changes (connected, disconnected, reconnected,
 * credentials refused), the list is read again.
 */
export function directoryKey(connection: CrmConnectionStatus | null): string {
  if (!connection) return 'none';
  return JSON.stringify([connection.kind, connection.status, connection.accountUser, connection.updatedAt, connection.settings['account'] ?? null]);
}

function withStop(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
