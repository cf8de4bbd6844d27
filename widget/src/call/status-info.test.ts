import { describe, expect, it } from 'vitest';
import { agentFromHeader, parseProgressStatus } from './status-info.js';

describe('parseProgressStatus', () => {
  it('reads the queue position and the estimated wait from 182 Queued', () => {
    expect(parseProgressStatus(182, { position: '3', estimatedWait: '170' }))
      .toEqual({ state: 'waiting', update: { kind: 'queued', position: 3, estimatedWaitSec: 170 } });
    expect(parseProgressStatus(182, { position: ' 1 ', estimatedWait: '0' }))
      .toEqual({ state: 'waiting', update: { kind: 'queued', position: 1, estimatedWaitSec: 0 } });
  });

  it('treats a 182 without an estimate as "estimate unknown", not "as before"', () => {
    expect(parseProgressStatus(182, { position: '2' })).toEqual({ state: 'waiting', update: { kind: 'queued', position: 2 } });
  });

  it('drops hostile or unusable numbers instead of guessing', () => {
    for (const bad of ['first', '0', '-1', '1.5', '1e3', '0x10', '', ' ', '9'.repeat(40), 'Infinity', 'NaN', '２']) {
      expect(parseProgressStatus(182, { position: bad })).toEqual({ state: 'waiting', update: { kind: 'queued' } });
    }
    for (const bad of ['-5', '2.5', 'soon', '1e9', '999999999', '60 seconds']) {
      expect(parseProgressStatus(182, { position: '1', estimatedWait: bad }))
        .toEqual({ state: 'waiting', update: { kind: 'queued', position: 1 } });
    }
  });

  it('tells ringing an agent apart from plain progress', () => {
    expect(parseProgressStatus(180)).toEqual({ state: 'waiting', update: { kind: 'ringing' } });
    expect(parseProgressStatus(183, { position: '2' })).toEqual({ state: 'waiting', update: { kind: 'progress' } });
    expect(parseProgressStatus(181)).toEqual({ state: 'waiting', update: { kind: 'progress' } });
  });

  it('ignores 100 Trying and final responses', () => {
    expect(parseProgressStatus(100)).toBeNull();
    expect(parseProgressStatus(200, { position: '1' })).toBeNull();
    expect(parseProgressStatus(480)).toBeNull();
  });
});

describe('agentFromHeader', () => {
  it('decodes the percent-encoded agent name', () => {
    expect(agentFromHeader('Alice%20Agent')).toBe('Alice Agent');
    expect(agentFromHeader('Bu%20Dewi%20%E2%98%95')).toBe('Bu Dewi ☕');
  });

  it('is undefined without the header and cleans hostile values', () => {
    expect(agentFromHeader(undefined)).toBeUndefined();
    expect(agentFromHeader('Eve%0D%0AX: y')).toBe('EveX: y');
    expect(agentFromHeader('100%')).toBe('100%');
    expect(agentFromHeader('%E2%80%AEevil')).toBe('evil');
  });
});
