import { describe, expect, it } from 'vitest';
import { VisitorSession } from './visitor-session.js';
import { WidgetError } from './widget-errors.js';

const expired = () => WidgetError.requestRejected(401, 'AUTH_EXPIRED', 'expired', undefined);

describe('VisitorSession', () => {
  it('uses the current token while the bridge accepts it', async () => {
    let renewals = 0;
    const session = new VisitorSession('t1', async () => `t${++renewals + 1}`);
    expect(await session.authorized(async (token) => token)).toBe('t1');
    expect(renewals).toBe(0);
  });

  it('renews the token after a 401 and retries exactly once', async () => {
    const seen: string[] = [];
    const session = new VisitorSession('old', async () => 'new');
    const result = await session.authorized(async (token) => {
      seen.push(token);
      if (token === 'old') throw expired();
      return 'booked';
    });
    expect(result).toBe('booked');
    expect(seen).toEqual(['old', 'new']);
    expect(session.token).toBe('new');
  });

  it('gives up when the renewed token is refused too', async () => {
    let attempts = 0;
    const session = new VisitorSession('old', async () => 'new');
    await expect(session.authorized(async () => {
      attempts++;
      throw expired();
    })).rejects.toMatchObject({ status: 401 });
    expect(attempts).toBe(2);
  });

  it('does not renew on other failures', async () => {
    let renewals = 0;
    const session = new VisitorSession('t', async () => {
      renewals++;
      return 'x';
    });
    await expect(session.authorized(async () => {
      throw WidgetError.requestRejected(400, undefined, 'bad slot', { at: ['gone'] });
    })).rejects.toMatchObject({ status: 400 });
    await expect(session.authorized(async () => {
      throw WidgetError.bridgeFailed(500);
    })).rejects.toBeInstanceOf(WidgetError);
    expect(renewals).toBe(0);
  });

  it('shares one renewal between concurrent requests', async () => {
    let renewals = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const session = new VisitorSession('old', async () => {
      renewals++;
      await gate;
      return 'new';
    });
    const request = (token: string) => (token === 'old' ? Promise.reject(expired()) : Promise.resolve(token));
    const both = Promise.all([session.authorized(request), session.authorized(request)]);
    await Promise.resolve();
    release();
    expect(await both).toEqual(['new', 'new']);
    expect(renewals).toBe(1);
  });

  it('passes a failed renewal on to the caller', async () => {
    const session = new VisitorSession('old', async () => {
      throw WidgetError.unreachable(new Error('offline'));
    });
    await expect(session.authorized(() => Promise.reject(expired()))).rejects.toMatchObject({
      code: 'WIDGET_ERR_BRIDGE_UNREACHABLE',
    });
  });
});
