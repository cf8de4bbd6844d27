/**
 * A real test bridge whose `ZENDESK_API_URL` is a fresh fake Zendesk, with the bridge's log kept as text (to prove
 * no secret reaches it) and the `PUT /api/admin/crm` body that connects the two.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { startTestBridge } from '../../../bridge-server/test/support/test-bridge.js';
import { FakeZendesk } from '../fake/fake-zendesk-api.js';

export const ZENDESK_ADMIN_EMAIL = 'admin@acme.test';

export type TestBridge = Awaited<ReturnType<typeof startTestBridge>>;

export interface ZendeskBridge {
  readonly zendesk: FakeZendesk;
  readonly bridge: TestBridge;
  /** Everything the bridge logged so far (pino JSON lines, debug and up). */
  log(): string;
  /** Connects with an API token (`token`, default the one Zendesk accepts): screen pop to the user, recordings linked. */
  connectBody(token?: string): Record<string, unknown>;
  dispose(): Promise<void>;
}

export async function startZendeskBridge(apiToken: string): Promise<ZendeskBridge> {
  const zendesk = await FakeZendesk.start({ apiToken, email: ZENDESK_ADMIN_EMAIL });
  let logText = '';
  const sink = new Writable({ write: (chunk, _enc, done) => ((logText += String(chunk)), done()) });
  const bridge = await startTestBridge({ ZENDESK_API_URL: zendesk.url }, { log: pino({ level: 'debug' }, sink) });
  return {
    zendesk,
    bridge,
    log: () => logText,
    connectBody: (token = apiToken) => ({
      kind: 'zendesk',
      timeZone: 'Asia/Jakarta',
      settings: { account: zendesk.subdomain, screenPop: 'user', recordings: 'link' },
      secret: { kind: 'api-token', email: ZENDESK_ADMIN_EMAIL, token },
    }),
    async dispose() {
      await bridge.dispose();
      await zendesk.close();
    },
  };
}
