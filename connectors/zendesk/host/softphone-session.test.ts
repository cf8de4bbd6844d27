import { describe, expect, it } from 'vitest';
import { sessionTokenOf } from './softphone-session.js';

describe('sessionTokenOf', () => {
  it('reads the controller’s sessionToken getter when it has one', () => {
    expect(sessionTokenOf({ get sessionToken() { return 'tok-1'; } })).toBe('tok-1');
  });

  it('is null without a getter, a session, or a string token', () => {
    expect(sessionTokenOf({})).toBeNull();
    expect(sessionTokenOf({ sessionToken: null })).toBeNull();
    expect(sessionTokenOf({ sessionToken: '' })).toBeNull();
    expect(sessionTokenOf({ sessionToken: 42 })).toBeNull();
  });
});
