import { describe, expect, it } from 'vitest';
import { resolvePath } from './zaf-paths.js';

describe('resolvePath', () => {
  const roots = { currentUser: { id: 7, timeZone: { ianaName: 'Asia/Jakarta' } }, ticket: { requester: { id: 0 } } };

  it('walks dotted paths, keeping falsy values', () => {
    expect(resolvePath(roots, 'currentUser.timeZone.ianaName')).toBe('Asia/Jakarta');
    expect(resolvePath(roots, 'ticket.requester.id')).toBe(0);
    expect(resolvePath(roots, 'currentUser')).toEqual(roots.currentUser);
  });

  it('is undefined for unknown, malformed or inherited keys', () => {
    for (const path of ['user.id', 'currentUser.id.x', '', '.currentUser', 'currentUser.', 'currentUser.constructor', 'toString']) {
      expect(resolvePath(roots, path), path).toBeUndefined();
    }
  });
});
