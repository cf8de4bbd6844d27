import { describe, expect, it } from 'vitest';
import { agentFromHeader, isStatusContentType, parseProgressStatus, parseQueueStatus } from './status-info.js';

const TYPE = 'application/vnd.sambung.status+json';

describe('parseQueueStatus', () => {
  it('decodes a waiting status with its queue position', () => {
    expect(parseQueueStatus(TYPE, '{"state":"waiting","position":1}')).toEqual({ state: 'waiting', position: 1 });
  });

  it('decodes a waiting status without a usable position', () => {
    expect(parseQueueStatus(TYPE, '{"state":"waiting"}')).toEqual({ state: 'waiting' });
    expect(parseQueueStatus(TYPE, '{"state":"waiting","position":0}')).toEqual({ state: 'waiting' });
    expect(parseQueueStatus(TYPE, '{"state":"waiting","position":"2"}')).toEqual({ state: 'waiting' });
    expect(parseQueueStatus(TYPE, '{"state":"waiting","position":1.5}')).toEqual({ state: 'waiting' });
  });

  it("decodes a connected status with the agent's name, cleaned of control characters", () => {
    expect(parseQueueStatus(TYPE, '{"state":"connected","agent":"Alice Agent"}')).toEqual({
      state: 'connected',
      agent: 'Alice Agent',
    });
    expect(parseQueueStatus(TYPE, '{"state":"connected","agent":" Al\\u0000ice\\u202e "}')).toEqual({
      state: 'connected',
      agent: 'Alice',
    });
    expect(parseQueueStatus(TYPE, '{"state":"connected","agent":""}')).toEqual({ state: 'connected' });
    expect(parseQueueStatus(TYPE, '{"state":"connected"}')).toEqual({ state: 'connected' });
  });

  it('caps an absurdly long agent name', () => {
    const status = parseQueueStatus(TYPE, JSON.stringify({ state: 'connected', agent: 'A'.repeat(500) }));
    expect(status).toEqual({ state: 'connected', agent: 'A'.repeat(80) });
  });

  it('ignores other content types, malformed JSON and unknown states', () => {
    expect(parseQueueStatus('application/dtmf-relay', '{"state":"waiting"}')).toBeNull();
    expect(parseQueueStatus(undefined, '{"state":"waiting"}')).toBeNull();
    expect(parseQueueStatus(TYPE, '{"state":')).toBeNull();
    expect(parseQueueStatus(TYPE, 'null')).toBeNull();
    expect(parseQueueStatus(TYPE, '"waiting"')).toBeNull();
    expect(parseQueueStatus(TYPE, '{"state":"ringing"}')).toBeNull();
    expect(parseQueueStatus(TYPE, undefined)).toBeNull();
  });
});

describe('isStatusContentType', () => {
  it('ignores case and parameters', () => {
    expect(isStatusContentType('Application/VND.Sambung.Status+JSON; charset=utf-8')).toBe(true);
    expect(isStatusContentType('application/vnd.sambung.control+json')).toBe(false);
  });
});

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
