import { describe, expect, it } from 'vitest';
import { checkCrmUserId, mappingRows, orphanLinkCount } from './agent-mapping-model.js';

describe('the agent mapping table', () => {
  const agents = [
    { username: 'alice', displayName: 'Alice Agent', role: 'agent' as const },
    { username: 'bob', displayName: '<b>Bob</b>', role: 'supervisor' as const },
  ];

  it("joins every agent with its Zendesk user, in the bridge's order", () => {
    expect(mappingRows(agents, [{ username: 'alice', crmUserId: '9001' }, { username: null, crmUserId: '9002' }])).toEqual([
      { username: 'alice', displayName: 'Alice Agent', role: 'agent', crmUserId: '9001' },
      { username: 'bob', displayName: '<b>Bob</b>', role: 'supervisor', crmUserId: null },
    ]);
  });

  it('counts the links whose agent is gone', () => {
    expect(orphanLinkCount([{ username: null, crmUserId: '1' }, { username: 'alice', crmUserId: '2' }, { username: null, crmUserId: '3' }])).toBe(2);
  });

  it('accepts a Zendesk user id (a positive integer), trimmed', () => {
    expect(checkCrmUserId(' 372931 ')).toEqual({ ok: true, value: '372931' });
  });

  it.each([
    ['', 'Enter the Zendesk user id, or choose Unmap.'],
    ['   ', 'Enter the Zendesk user id, or choose Unmap.'],
    ['alice@acme.test', expect.stringContaining('A Zendesk user id is a number')],
    ['0', expect.stringContaining('A Zendesk user id is a number')],
    ['12a', expect.stringContaining('A Zendesk user id is a number')],
    ['1'.repeat(21), expect.stringContaining('A Zendesk user id is a number')],
  ])('refuses %j', (input, message) => {
    expect(checkCrmUserId(input)).toEqual({ ok: false, message });
  });
});
