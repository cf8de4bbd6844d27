import { describe, expect, it } from 'vitest';
import type { CrmUser } from './admin-api-shapes.js';
import { emailLocalPart, nameKey, suggestUser } from './crm-user-suggestion.js';

const user = (id: string, name: string, email: string | null = null): CrmUser => ({ id, name, email, role: 'agent' });

describe('nameKey', () => {
  it.each([
    ['  Alice   Agent ', 'alice agent'],
    ['José Álvarez', 'jose alvarez'],
    ['ZOË ÇELİK', 'zoe celik'],
    ['Łukasz Øster', 'lukasz oster'],
    ['Straße Æsir', 'strasse aesir'],
    ['Ｆｕｌｌｗｉｄｔｈ', 'fullwidth'],
    ['<img src=x>', '<img src=x>'],
  ])('%j compares as %j', (name, key) => {
    expect(nameKey(name)).toBe(key);
  });
});

describe('emailLocalPart', () => {
  it.each([
    ['Alice@acme.test', 'alice'],
    ['first.last+tag@acme.test', 'first.last+tag'],
    ['"odd@local"@acme.test', '"odd@local"'],
    ['no-at-sign', null],
    ['@acme.test', null],
    [null, null],
  ])('%j → %j', (email, local) => {
    expect(emailLocalPart(email)).toBe(local);
  });
});

describe('suggestUser', () => {
  const alice = { username: 'alice', displayName: 'Alice Agent' };

  it('matches the display name ignoring case, accents and spacing', () => {
    const jose = user('1', 'José  Álvarez', 'ja@acme.test');
    expect(suggestUser({ username: 'jalvarez', displayName: ' jose alvarez ' }, [user('2', 'Josef Alvarez'), jose], new Set())).toBe(jose);
  });

  it("matches the username to an e-mail's local part when no name matches", () => {
    const zAlice = user('7', 'A. Agent', 'ALICE@acme.test');
    expect(suggestUser(alice, [user('6', 'Somebody', 'alicia@acme.test'), zAlice], new Set())).toBe(zAlice);
  });

  it('prefers the name match over an e-mail match', () => {
    const byName = user('1', 'alice agent', 'aa@acme.test');
    expect(suggestUser(alice, [user('2', 'Other', 'alice@acme.test'), byName], new Set())).toBe(byName);
  });

  it('never suggests a user already mapped to an agent', () => {
    const taken = user('1', 'Alice Agent', 'alice@acme.test');
    expect(suggestUser(alice, [taken], new Set(['1']))).toBeNull();
    const free = user('2', 'Alice Agent', 'other@acme.test');
    expect(suggestUser(alice, [taken, free], new Set(['1']))).toBe(free);
  });

  it('suggests nobody between namesakes, nor between two e-mail matches', () => {
    expect(suggestUser(alice, [user('1', 'Alice Agent'), user('2', 'ALICE AGENT')], new Set())).toBeNull();
    expect(suggestUser(alice, [user('1', 'X', 'alice@a.test'), user('2', 'Y', 'alice@b.test')], new Set())).toBeNull();
  });

  it('suggests nobody when nothing matches (a prefix is not a match)', () => {
    expect(suggestUser(alice, [user('1', 'Alice'), user('2', 'Alice Agentson', 'alice.agent@acme.test'), user('3', 'No Mail')], new Set())).toBeNull();
    expect(suggestUser({ username: 'bob', displayName: '   ' }, [user('1', ''), user('2', ' ')], new Set())).toBeNull();
  });
});
