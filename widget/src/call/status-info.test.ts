import { describe, expect, it } from 'vitest';
import { isStatusContentType, parseQueueStatus } from './status-info.js';

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
