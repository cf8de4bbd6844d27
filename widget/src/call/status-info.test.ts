import { describe, expect, it } from 'vitest';
import { agentFromHeader, parseProgressStatus } from './status-info.js';


describe('parseProgressStatus', () => {
  it('reads the queue position from 182 Queued', () => {
    expect(parseProgressStatus(182, '3')).toEqual({ state: 'waiting', position: 3 });
    expect(parseProgressStatus(182, ' 1 ')).toEqual({ state: 'waiting', position: 1 });
  });

  it('treats other provisional responses, and unusable positions, as plain waiting', () => {
    expect(parseProgressStatus(180, undefined)).toEqual({ state: 'waiting' });
    expect(parseProgressStatus(183, '2')).toEqual({ state: 'waiting' });
    expect(parseProgressStatus(182, 'first')).toEqual({ state: 'waiting' });
    expect(parseProgressStatus(182, '0')).toEqual({ state: 'waiting' });
  });

  it('ignores 100 Trying and final responses', () => {
    expect(parseProgressStatus(100, undefined)).toBeNull();
    expect(parseProgressStatus(200, '1')).toBeNull();
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
  });
});
