import { describe, expect, it } from 'vitest';
import { AdminError } from './admin-errors.js';
import { connection } from './admin-test-kit.js';
import { canReloadDirectory, directoryFailure, directoryKey, directoryNotice, directoryOf, mappingHint, pickableUsers, type CrmDirectory } from './crm-directory.js';

const alice = { id: '901', name: 'Alice Agent', email: 'alice@acme.test', role: 'agent' as const };

describe('the CRM directory of the agent mapping', () => {
  it('is a list to pick from when the CRM listed its agents', () => {
    const directory = directoryOf({ users: [alice], truncated: false, listable: true });
    expect(directory).toEqual({ state: 'listed', users: [alice], truncated: false });
    expect(pickableUsers(directory)).toEqual([alice]);
    expect(directoryNotice(directory)).toBeNull();
    expect(mappingHint(directory)).toMatch(/^Pick each agent's Zendesk user: /);
    expect(canReloadDirectory(directory)).toBe(true);
  });

  it('says a partial list is partial, and how to map anyone else', () => {
    const directory = directoryOf({ users: [alice, { ...alice, id: '902' }], truncated: true, listable: true });
    expect(directoryNotice(directory)).toEqual({
      tone: 'note',
      text: 'Zendesk has more agents than Sambung lists: the list shows the first 2. For anyone else, choose "Other (type the id)" and type their Zendesk user id.',
    });
    expect(pickableUsers(directory)).toHaveLength(2);
  });

  it.each([
    ['a CRM that cannot list', directoryOf({ users: [alice], truncated: false, listable: false }), 'not-listable', /^The connected CRM cannot list its agents here, so type each agent's Zendesk user id/, false],
    ['an empty list', directoryOf({ users: [], truncated: false, listable: true }), 'empty', /^Zendesk listed no agents or admins, so type/, true],
    ['no CRM (404)', directoryFailure(AdminError.fromStatus(404, { message: 'connect a CRM first' }, false)), 'not-connected', /^Connect Zendesk to pick agents from a list\. Until then you can type/, false],
  ] as const)('keeps the typed id for %s, with a note', (_what, directory, state, text, reload) => {
    expect(directory.state).toBe(state);
    expect(pickableUsers(directory)).toBeNull();
    expect(directoryNotice(directory)).toEqual({ tone: 'note', text: expect.stringMatching(text) });
    expect(mappingHint(directory)).toMatch(/^Map each agent to their Zendesk user id \(the number/);
    expect(canReloadDirectory(directory)).toBe(reload);
  });

  it("puts the bridge's sentence of a refusal or a CRM failure in the error line", () => {
    const refused = directoryFailure(AdminError.fromStatus(409, { serverCode: 'CONFLICT', message: 'Zendesk refused the credentials: reconnect Zendesk (401)' }, false));
    expect(refused).toEqual({ state: 'failed', message: 'Zendesk refused the credentials: reconnect Zendesk (401)' });
    expect(directoryNotice(refused)).toEqual({
      tone: 'error',
      text: "Could not list the Zendesk agents: Zendesk refused the credentials: reconnect Zendesk (401). You can still type each agent's Zendesk user id (the number at the end of the agent's profile address in Zendesk), or reload the list.",
    });
    expect(canReloadDirectory(refused)).toBe(true);
    const failed = directoryFailure(AdminError.fromStatus(502, { message: 'Zendesk failed: timeout.' }, false));
    expect(directoryNotice(failed)?.text).toMatch(/^Could not list the Zendesk agents: Zendesk failed: timeout\. You can still/);
  });

  it('calls any other failure by our words, never a 404 of something else', () => {
    expect(directoryFailure(AdminError.unreachable(new TypeError('fetch failed')))).toEqual({ state: 'failed', message: 'Cannot reach the Sambung bridge. Check your connection.' });
    expect(directoryFailure(AdminError.fromStatus(500, { message: 'secret' }, false))).toEqual({ state: 'failed', message: 'The bridge is having trouble. Please try again shortly.' });
    expect(directoryFailure(new Error('boom'))).toEqual({ state: 'failed', message: 'Something went wrong. Please try again.' });
    expect(directoryFailure(new AdminError('ADMIN_ERR_BRIDGE_FAILED', 'x', { status: 404 })).state).toBe('failed');
  });

  it('reads the list again when the connection comes, goes, is refused or is reconnected — not on every poll', () => {
    const connected = connection();
    expect(directoryKey(null)).toBe('none');
    expect(directoryKey({ ...connected, settings: { ...connected.settings } })).toBe(directoryKey(connected));
    expect(directoryKey({ ...connected, hasAppKey: true })).toBe(directoryKey(connected));
    const changes: unknown[] = [
      null,
      { ...connected, status: 'reconnect-required' },
      { ...connected, updatedAt: '2025-11-23T00:00:00.000Z' },
      { ...connected, accountUser: 'other@acme.test' },
      { ...connected, settings: { ...connected.settings, account: 'other' } },
      { ...connected, kind: 'hubspot' },
    ];
    const keys = changes.map((c) => directoryKey(c as typeof connected | null));
    expect(new Set([...keys, directoryKey(connected)]).size).toBe(changes.length + 1);
  });

  it('covers every state in the notice', () => {
    const states: CrmDirectory[] = [
      { state: 'listed', users: [alice], truncated: false },
      { state: 'empty' },
      { state: 'not-listable' },
      { state: 'not-connected' },
      { state: 'failed', message: 'Why?' },
    ];
    expect(states.map((d) => directoryNotice(d)?.tone ?? null)).toEqual([null, 'note', 'note', 'note', 'error']);
    expect(directoryNotice(states[4]!)?.text).toContain('Why? You can still');
  });
});
