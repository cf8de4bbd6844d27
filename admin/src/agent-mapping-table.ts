/**
 * Everything the agent mapping card shows (pure): the rows joined with the CRM directory — a picker per row when
 * the directory is listed, else the typed-id input — the lines under the table, and the check Save runs before
 * anything is sent (a valid id; never a second agent on one Zendesk user).
 */
import type { AgentSummary, CrmAgentLink, CrmUser } from './admin-api-shapes.js';
import { checkCrmUserId, mappingRows, orphanLinkCount, type AgentMappingRow, type CrmUserIdCheck } from './agent-mapping-model.js';
import { canReloadDirectory, directoryNotice, mappingHint, type CrmDirectory, type DirectoryNotice } from './crm-directory.js';
import { crmUserName, mappedAgents, NOT_MAPPED, OTHER_USER, userPicker, type UserPicker } from './crm-user-options.js';

export interface AgentMappingLine {
  readonly row: AgentMappingRow;
  /** Null: the row keeps the typed-id input. */
  readonly picker: UserPicker | null;
}

export interface AgentMappingTable {
  readonly lines: readonly AgentMappingLine[];
  /** Links whose agent no longer exists. */
  readonly orphanLinks: number;
  readonly hint: string;
  readonly notice: DirectoryNotice | null;
  /** Whether to offer "Reload the list from Zendesk". */
  readonly canReload: boolean;
  /** The listed users (to name them in sentences), or null. */
  readonly users: readonly CrmUser[] | null;
}

export function agentMappingTable(agents: readonly AgentSummary[], links: readonly CrmAgentLink[], directory: CrmDirectory): AgentMappingTable {
  const rows = mappingRows(agents, links);
  const listed = directory.state === 'listed' ? directory : null;
  const mapped = mappedAgents(rows);
  return {
    lines: rows.map((row) => ({ row, picker: listed ? userPicker(row, mapped, listed.users, listed.truncated) : null })),
    orphanLinks: orphanLinkCount(links),
    hint: mappingHint(directory),
    notice: directoryNotice(directory),
    canReload: canReloadDirectory(directory),
    users: listed ? listed.users : null,
  };
}

/** What a row's controls hold when Save is pressed. `selected` is null when the row has no picker. */
export interface MappingChoice {
  readonly selected: string | null;
  readonly typed: string;
}

/** Checks `username`'s choice; ok carries the Zendesk user id to save. */
export function checkChoice(table: AgentMappingTable, username: string, choice: MappingChoice): CrmUserIdCheck {
  const check =
    choice.selected === null || choice.selected === OTHER_USER ? checkCrmUserId(choice.typed)
    : choice.selected === NOT_MAPPED ? { ok: false as const, message: 'Choose the Zendesk user, or choose Unmap.' }
    : { ok: true as const, value: choice.selected };
  if (!check.ok) return check;
  const holders = table.lines.filter((l) => l.row.username !== username && l.row.crmUserId === check.value).map((l) => l.row.displayName);
  if (holders.length === 0) return check;
  const who = holders.join(' and ');
  const verb = holders.length === 1 ? 'is' : 'are';
  return {
    ok: false,
    message: `${who} ${verb} already mapped to Zendesk user ${crmUserName(check.value, table.users)}, and one Zendesk user can stand for only one agent. Unmap ${who} first, or choose another user.`,
  };
}

/** The status line after a save. */
export function savedText(table: AgentMappingTable, row: AgentMappingRow, crmUserId: string): string {
  return `${row.displayName} is mapped to Zendesk user ${crmUserName(crmUserId, table.users)}.`;
}
