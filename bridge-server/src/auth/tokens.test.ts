import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { TokenService } from './tokens.js';

const visitor = {
  kind: 'visitor' as const,
  tenantId: 't1',
  queueId: 'q1',
  queueName: 'sales',
  visitorId: 'v1',
  name: 'Siti',
  phone: '+62 812',
  email: '',
};

describe('TokenService', () => {
  it('round-trips visitor claims', async () => {
    const tokens = new TokenService('x'.repeat(32), new ManualClock());
    const { token } = await tokens.sign(visitor, 60);
    await expect(tokens.verify(token, 'visitor')).resolves.toMatchObject(visitor);
  });

  it('refuses a visitor token used as an agent token', async () => {
    const tokens = new TokenService('x'.repeat(32), new ManualClock());
    const { token } = await tokens.sign(visitor, 60);
    await expect(tokens.verify(token, 'agent')).rejects.toThrow(/invalid token/);
  });

  it('refuses an expired token', async () => {
    const clock = new ManualClock();
    const tokens = new TokenService('x'.repeat(32), clock);
    const { token } = await tokens.sign(visitor, 60);
    clock.advance(61_000);
    await expect(tokens.verify(token, 'visitor')).rejects.toThrow(/expired/);
  });

  it('refuses a token signed with another secret', async () => {
    const a = new TokenService('a'.repeat(32), new ManualClock());
    const b = new TokenService('b'.repeat(32), new ManualClock());
    const { token } = await a.sign(visitor, 60);
    await expect(b.verify(token, 'visitor')).rejects.toThrow(/invalid token/);
  });
});
