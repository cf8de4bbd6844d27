import { describe, expect, it } from 'vitest';
import { parseRecentCalls, recentCallsRequest, safeRecordingHref } from './recent-calls.js';

const bridge = 'http://bridge.local:8080/';

describe('recentCallsRequest', () => {
  it('asks Zendesk’s proxy to add the tenant key, never carrying it itself', () => {
    expect(recentCallsRequest('https://bridge.example/sambung/', '42 & x')).toEqual({
      url: 'https://bridge.example/sambung/api/crm-app/recent-calls?contact_id=42+%26+x',
      type: 'GET',
      dataType: 'json',
      secure: true,
      cors: false,
      headers: { Authorization: 'Bearer {{setting.tenant_key}}' },
    });
  });
});

describe('safeRecordingHref', () => {
  it('keeps https links and the bridge’s own links', () => {
    expect(safeRecordingHref('https://cdn.example/r.wav', bridge)).toBe('https://cdn.example/r.wav');
    expect(safeRecordingHref('/recordings/abc.wav', bridge)).toBe('http://bridge.local:8080/recordings/abc.wav');
    expect(safeRecordingHref('http://bridge.local:8080/recordings/x.wav', bridge)).toBe('http://bridge.local:8080/recordings/x.wav');
  });

  it('drops scripts, data, other plain-http hosts, credentials and junk', () => {
    for (const raw of ['javascript:alert(1)', ' JAVASCRIPT:alert(1)', 'data:text/html,<b>x</b>', 'http://evil.example/r.wav',
      'https://user:pw@cdn.example/r.wav', '', '   ', null, 42, 'http://[bad']) {
      expect(safeRecordingHref(raw, bridge), String(raw)).toBeNull();
    }
  });
});

describe('parseRecentCalls', () => {
  it('reads the calls and sanitises each field', () => {
    const calls = parseRecentCalls({
      calls: [
        { callId: 'c1', startedAt: '2030-01-01T09:00:00Z', direction: 'inbound', queue: 'sales', agent: 'Ayu',
          durationSec: 61.6, outcome: 'answered', recordingUrl: '/recordings/a.wav' },
        { callId: 'c2', startedAt: '2030-01-01T08:00:00Z', direction: 'sideways', queue: 7, agent: { displayName: 'Budi' },
          durationSec: 'x', outcome: 'missed', recordingUrl: 'javascript:alert(1)' },
        { callId: 3, startedAt: 'x' },
        'junk',
      ],
    }, bridge);
    expect(calls).toEqual([
      { callId: 'c1', startedAt: '2030-01-01T09:00:00Z', direction: 'inbound', queue: 'sales', agent: 'Ayu', durationSec: 62,
        outcome: 'answered', recordingUrl: 'http://bridge.local:8080/recordings/a.wav' },
      { callId: 'c2', startedAt: '2030-01-01T08:00:00Z', direction: 'inbound', queue: '7', agent: 'Budi', durationSec: 0,
        outcome: 'missed', recordingUrl: null },
    ]);
  });

  it('refuses an answer without a calls list', () => {
    expect(() => parseRecentCalls({ items: [] }, bridge)).toThrow();
    expect(() => parseRecentCalls('<html>', bridge)).toThrow();
  });
});
