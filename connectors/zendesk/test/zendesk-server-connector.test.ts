import { afterEach, describe, expect, it } from 'vitest';
import { canCheckConnection, canScreenPop } from '../../../bridge-server/src/crm/crm-screen-pop.js';
import { FakeZendesk } from '../fake/fake-zendesk-api.js';
import { zendeskConnector } from '../server/zendesk-connector.js';
import { authorizationHeader, zendeskApiBase } from '../server/zendesk-settings.js';

describe('zendeskConnector', () => {
  let fake: FakeZendesk | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('defaults screen pop to the user and recordings to links, and takes a subdomain in any case', () => {
    expect(zendeskConnector.settings.parse({ account: ' Acme-Support ' })).toEqual({ account: 'acme-support', screenPop: 'user', recordings: 'link' });
    expect(zendeskConnector.settings.parse({ account: 'acme', screenPop: 'ticket', recordings: 'upload' })).toMatchObject({ screenPop: 'ticket', recordings: 'upload' });
  });

  for (const account of ['', '-acme', 'acme.zendesk.com', 'https://evil.example', 'acme/../x', 'a'.repeat(64), 'acme support']) {
    it(`refuses ${JSON.stringify(account)} as an account: only a subdomain, never a host or URL`, () => {
      expect(zendeskConnector.settings.safeParse({ account }).success).toBe(false);
    });
  }

  it('refuses unknown screen-pop targets and recording modes', () => {
    expect(zendeskConnector.settings.safeParse({ account: 'acme', screenPop: 'organization' }).success).toBe(false);
    expect(zendeskConnector.settings.safeParse({ account: 'acme', recordings: 'email' }).success).toBe(false);
  });

  it('takes an API token with its owner\'s e-mail, or an OAuth access token', () => {
    expect(zendeskConnector.secret.parse({ kind: 'api-token', email: ' admin@acme.test ', token: 'abc' })).toEqual({ kind: 'api-token', email: 'admin@acme.test', token: 'abc' });
    expect(zendeskConnector.secret.parse({ kind: 'oauth', accessToken: 'xyz' })).toEqual({ kind: 'oauth', accessToken: 'xyz' });
    for (const bad of [{ kind: 'api-token', token: 'abc' }, { kind: 'api-token', email: 'not-mail', token: 'abc' }, { kind: 'oauth', accessToken: '' }, { kind: 'password', password: 'p' }]) {
      expect(zendeskConnector.secret.safeParse(bad).success).toBe(false);
    }
  });

  it('authenticates an API token as Basic "{email}/token:{token}" and OAuth as Bearer', () => {
    const basic = authorizationHeader({ kind: 'api-token', email: 'admin@acme.test', token: 's3cret' });
    expect(basic.startsWith('Basic ')).toBe(true);
    expect(Buffer.from(basic.slice('Basic '.length), 'base64').toString('utf8')).toBe('admin@acme.test/token:s3cret');
    expect(authorizationHeader({ kind: 'oauth', accessToken: 'tok' })).toBe('Bearer tok');
    expect(zendeskApiBase('acme')).toBe('https://acme.zendesk.com');
  });

  it('builds an adapter with the screen-pop and connection-check capabilities, on the API base of the account', async () => {
    fake = await FakeZendesk.start({ apiToken: 't', email: 'admin@acme.test' });
    const asked: string[] = [];
    const adapter = zendeskConnector.create(
      zendeskConnector.settings.parse({ account: 'acme' }),
      { kind: 'api-token', email: 'admin@acme.test', token: 't' },
      { apiBase: (account) => (asked.push(account), fake!.url), timeoutMs: 1000 },
    );
    expect(asked).toEqual(['acme']);
    expect(canScreenPop(adapter) && canCheckConnection(adapter)).toBe(true);
    if (canCheckConnection(adapter)) expect(await adapter.checkConnection({ tenantId: 't', timeZone: 'UTC' })).toEqual({ user: 'admin@acme.test', account: 'acme' });
  });
});
