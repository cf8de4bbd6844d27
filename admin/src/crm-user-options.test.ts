import { describe, expect, it } from 'vitest';
import type { CrmUser } from './admin-api-shapes.js';
import type { AgentMappingRow } from './agent-mapping-model.js';
import { crmUserName, mappedAgents, NOT_MAPPED, OTHER_USER, userLabel, userPicker } from './crm-user-options.js';

const zAlice: CrmUser = { id: '901', name: 'Alice Agent', email: 'alice@acme.test', role: 'agent' };
const zBob: CrmUser = { id: '902', name: 'Bób Agent', email: 'robert@acme.test', role: 'agent' };
const zAdmin: CrmUser = { id: '17', name: 'Sambung Integration', email: null, role: 'admin' };
const users = [zAlice, zBob, zAdmin];

const row = (username: string, displayName: string, crmUserId: string | null = null): AgentMappingRow => ({ username, displayName, role: 'agent', crmUserId });

describe('userLabel and crmUserName', () => {
  it('names a user "name — e-mail", by name alone without an e-mail, by id without a name', () => {
    expect(userLabel(zAlice)).toBe('Alice Agent — alice@acme.test');
    expect(userLabel(zAdmin)).toBe('Sambung Integration');
    expect(userLabel({ ...zAlice, name: '  ' })).toBe('Zendesk user #901 — alice@acme.test');
  });

  it('names an id by its listed user, else by the id itself', () => {
    expect(crmUserName('901', users)).toBe('Alice Agent — alice@acme.test');
    expect(crmUserName('555', users)).toBe('555');
    expect(crmUserName('901', null)).toBe('901');
  });
});

describe('userPicker', () => {
  it('offers "Not mapped" then every user, and pre-selects the current mapping', () => {
    const alice = row('alice', 'Alice Agent', '902');
    const picker = userPicker(alice, mappedAgents([alice]), users, false);
    expect(picker.options).toEqual([
      { value: NOT_MAPPED, label: 'Not mapped' },
      { value: '901', label: 'Alice Agent — alice@acme.test' },
      { value: '902', label: 'Bób Agent — robert@acme.test' },
      { value: '17', label: 'Sambung Integration' },
    ]);
    expect(picker.selected).toBe('902');
    expect(picker.typed).toBe('');
    expect(picker.suggestion).toBeNull();
  });

  it('keeps a mapping to a user no longer listed visible, instead of silently showing "Not mapped"', () => {
    const alice = row('alice', 'Alice Agent', '555');
    const picker = userPicker(alice, mappedAgents([alice]), users, false);
    expect(picker.options[1]).toEqual({ value: '555', label: 'Zendesk user #555 (not an agent any more)' });
    expect(picker.options).toHaveLength(5);
    expect(picker.selected).toBe('555');
    expect(picker.suggestion).toBeNull();
  });

  it('labels users mapped to other agents, and not the row’s own', () => {
    const rows = [row('alice', 'Alice Agent', '901'), row('bob', 'Bob Agent', '901'), row('carol', '<b>Carol</b>', '17')];
    const mapped = mappedAgents(rows);
    expect(userPicker(rows[0]!, mapped, users, false).options.map((o) => o.label)).toEqual([
      'Not mapped',
      'Alice Agent — alice@acme.test (mapped to Bob Agent)',
      'Bób Agent — robert@acme.test',
      'Sambung Integration (mapped to <b>Carol</b>)',
    ]);
    const dave = row('dave', 'Dave');
    expect(userPicker(dave, mapped, users, false).options[1]!.label).toBe('Alice Agent — alice@acme.test (mapped to Alice Agent, Bob Agent)');
  });

  it('adds "Other (type the id)" to a partial list, and types a current id the list lacks', () => {
    const alice = row('alice', 'Alice Agent', '555');
    const picker = userPicker(alice, mappedAgents([alice]), users, true);
    expect(picker.options.at(-1)).toEqual({ value: OTHER_USER, label: 'Other (type the id)' });
    expect(picker.options.map((o) => o.value)).not.toContain('555');
    expect(picker.selected).toBe(OTHER_USER);
    expect(picker.typed).toBe('555');
    const listed = row('alice', 'Alice Agent', '901');
    expect(userPicker(listed, mappedAgents([listed]), users, true)).toMatchObject({ selected: '901', typed: '' });
  });

  it('suggests a user for an unmapped agent only, and never one mapped to somebody else', () => {
    const bob = row('bob', 'Bob Agent');
    // "Bób Agent" is "Bob Agent" ignoring accents.
    expect(userPicker(bob, mappedAgents([bob]), users, false).suggestion).toEqual({ value: '902', label: 'Bób Agent — robert@acme.test' });
    expect(userPicker(bob, mappedAgents([bob]), users, false).selected).toBe(NOT_MAPPED);
    const taken = [bob, row('rob', 'Robert', '902')];
    expect(userPicker(bob, mappedAgents(taken), users, false).suggestion).toBeNull();
    const robert = row('robert', 'Robert B.');
    expect(userPicker(robert, mappedAgents([robert]), users, false).suggestion).toEqual({ value: '902', label: 'Bób Agent — robert@acme.test' });
  });
});
