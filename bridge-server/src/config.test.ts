import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { ConfigError } from './errors.js';

describe('loadConfig', () => {
  it('applies embedded defaults when the environment is empty', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.media.iceServers).toEqual([]);
    expect(c.dataDir.endsWith('/data')).toBe(true);
  });

  it('never defaults to a public STUN server', () => {
    expect(JSON.stringify(loadConfig({}).media)).not.toMatch(/stun:/);
  });

  it('parses ICE servers from JSON', () => {
    const c = loadConfig({ ICE_SERVERS: '[{"urls":"turn:10.0.0.1:3478","username":"u","credential":"p"}]' });
    expect(c.media.iceServers[0]?.username).toBe('u');
  });

  it('names every invalid field in one error', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', ICE_SERVERS: 'nope', MEDIA_PUBLIC_ADDRESS: 'host' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as Error).message;
      for (const f of ['PORT', 'DATABASE_URL', 'ICE_SERVERS', 'MEDIA_PUBLIC_ADDRESS']) expect(msg).toContain(f);
    }
  });

  it('refuses production without a token secret or a recording key', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/TOKEN_SECRET[\s\S]*RECORDING_KEY/);
  });

  it('never keeps recordings more than 7 days', () => {
    expect(() => loadConfig({ RECORDING_RETENTION_DAYS: '8' })).toThrow(/RECORDING_RETENTION_DAYS/);
    expect(loadConfig({ RECORDING_RETENTION_DAYS: '2' }).recording.retentionDays).toBe(2);
  });
});
