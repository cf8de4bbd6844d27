import { describe, expect, it } from 'vitest';
import type { AgentSummary, CrmAgentLink, CrmUser } from './admin-api-shapes.js';
import { agentMappingTable, checkChoice, savedText } from './agent-mapping-table.js';
import type { CrmDirectory } from './crm-directory.js';
import { NOT_MAPPED, OTHER_USER } from './crm-user-options.js';

const agents: AgentSummary[] = [
  { username: 'alice', displayName: 'Alice Agent', role: 'agent' },
  { username: 'bob', displayName: 'Bob Agent', role: 'agent' },
  { username: 'carol', displayName: 'Carol', role: 'supervisor' },
];
const links: CrmAgentLink[] = [{ username: 'alice', crmUserId: '901' }, { username: null, crmUserId: '903' }];
const zAlice: CrmUser = { id: '901', name: 'Alice Agent', email: 'alice@acme.test', role: 'agent' };
const zBob: CrmUser = { id: '902', name: 'Bob Agent', email: 'bob@acme.test', role: 'agent' };
const listed: CrmDirectory = { state: 'listed', users: [zAlice, zBob], truncated: false };

describe('agentMappingTable', () => {
  it('gives every row a picker when the directory is listed', () => {
    const table = agentMappingTable(agents, links, listed);
    expect(table.lines.map((l) => [l.row.username, l.row.crmUserId, l.picker?.selected, l.picker?.suggestion?.value ?? null])).toEqual([
      ['alice', '901', '901', null],
      ['bob', null, NOT_MAPPED, '902'],
      ['carol', null, NOT_MAPPED, null],
    ]);
    expect(table).toMatchObject({ orphanLinks: 1, notice: null, canReload: true, users: [zAlice, zBob] });
    expect(table.hint).toMatch(/^Pick each agent's Zendesk user/);
  });

  it('keeps the typed id, with the reason, when there is no list', () => {
    const table = agentMappingTable(agents, links, { state: 'failed', message: 'Zendesk refused the credentials: reconnect Zendesk' });
    expect(table.lines.every((l) => l.picker === null)).toBe(true);
    expect(table.users).toBeNull();
    expect(table.notice).toMatchObject({ tone: 'error', text: expect.stringContaining('reconnect Zendesk') });
    expect(table.canReload).toBe(true);
    expect(agentMappingTable(agents, links, { state: 'not-connected' })).toMatchObject({ canReload: false, notice: { tone: 'note' } });
  });
});

describe('checkChoice', () => {
  const table = agentMappingTable(agents, links, listed);
  const typedTable = agentMappingTable(agents, links, { state: 'not-listable' });

  it('saves the chosen user, or the typed id (trimmed) without a picker or with "Other"', () => {
    expect(checkChoice(table, 'bob', { selected: '902', typed: '' })).toEqual({ ok: true, value: '902' });
    expect(checkChoice(table, 'alice', { selected: '901', typed: '' })).toEqual({ ok: true, value: '901' });
    expect(checkChoice(table, 'bob', { selected: OTHER_USER, typed: ' 7700 ' })).toEqual({ ok: true, value: '7700' });
    expect(checkChoice(typedTable, 'bob', { selected: null, typed: '7700' })).toEqual({ ok: true, value: '7700' });
  });

  it('refuses "Not mapped" and a typed id that is not one', () => {
    expect(checkChoice(table, 'bob', { selected: NOT_MAPPED, typed: '' })).toEqual({ ok: false, message: 'Choose the Zendesk user, or choose Unmap.' });
    expect(checkChoice(table, 'bob', { selected: OTHER_USER, typed: 'bob@acme.test' })).toMatchObject({ ok: false, message: expect.stringContaining('A Zendesk user id is a number') });
    expect(checkChoice(typedTable, 'bob', { selected: null, typed: '' })).toEqual({ ok: false, message: 'Enter the Zendesk user id, or choose Unmap.' });
  });

  it('refuses a second agent on one Zendesk user, naming who has it, chosen or typed', () => {
    expect(checkChoice(table, 'bob', { selected: '901', typed: '' })).toEqual({
      ok: false,
      message: 'Alice Agent is already mapped to Zendesk user Alice Agent — alice@acme.test, and one Zendesk user can stand for only one agent. Unmap Alice Agent first, or choose another user.',
    });
    expect(checkChoice(typedTable, 'carol', { selected: null, typed: '901' })).toEqual({
      ok: false,
      message: 'Alice Agent is already mapped to Zendesk user 901, and one Zendesk user can stand for only one agent. Unmap Alice Agent first, or choose another user.',
    });
  });

  it('names every holder when two agents already share a user', () => {
    const shared = agentMappingTable(agents, [{ username: 'alice', crmUserId: '902' }, { username: 'bob', crmUserId: '902' }], listed);
    expect(checkChoice(shared, 'carol', { selected: '902', typed: '' })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Alice Agent and Bob Agent are already mapped to Zendesk user Bob Agent — bob@acme.test, .* Unmap Alice Agent and Bob Agent first/),
    });
  });

  it('does not count a link whose agent is gone as a holder', () => {
    expect(checkChoice(table, 'bob', { selected: OTHER_USER, typed: '903' })).toEqual({ ok: true, value: '903' });
  });

  it('says who is mapped to whom after a save', () => {
    expect(savedText(table, table.lines[1]!.row, '902')).toBe('Bob Agent is mapped to Zendesk user Bob Agent — bob@acme.test.');
    expect(savedText(typedTable, typedTable.lines[1]!.row, '7700')).toBe('Bob Agent is mapped to Zendesk user 7700.');
  });
});
