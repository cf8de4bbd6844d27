/**
 * Test helpers (not bundled): a scripted `fetch` that records every request and answers from a queue, shaped like
 * the bridge's real answers, and a signed-in client.
 */
import { AdminApiClient, type FetchLike } from './admin-api.js';
import type { CrmConnectionStatus, CrmOverview, DeliveryState } from './admin-api-shapes.js';

export interface RecordedRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

export type Answer = { status: number; body?: unknown; raw?: string } | Error;

export function scriptedFetch(answers: Answer[]): { fetch: FetchLike; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const fetch: FetchLike = async (url, init) => {
    requests.push({
      url,
      method: init.method ?? 'GET',
      headers: { ...(init.headers as Record<string, string>) },
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    const answer = answers.shift();
    if (!answer) throw new Error(`no scripted answer for ${init.method} ${url}`);
    if (answer instanceof Error) throw answer;
    const text = answer.raw ?? (answer.body === undefined ? null : JSON.stringify(answer.body));
    return new Response(answer.status === 204 ? null : text, { status: answer.status, headers: { 'content-type': 'application/json' } });
  };
  return { fetch, requests };
}

export const BASE = 'http://bridge.test:8080/';

export const adminLogin = {
  token: 'admin-api-token',
  expiresAt: '2030-01-01T12:00:00.000Z',
  agent: { id: 'a-admin', username: 'admin', displayName: 'Ada Admin', role: 'admin' },
  sip: { wsUrl: 'ws://bridge.test:8080/sip', domain: 'demo.sambung.local', uri: 'sip:admin@demo.sambung.local', authorizationUser: 'admin' },
  iceServers: [],
  queues: [],
};

/** A client already signed in as the demo admin; `answers` are what the following requests get. */
export async function signedIn(answers: Answer[]) {
  const scripted = scriptedFetch([{ status: 200, body: adminLogin }, ...answers]);
  const client = new AdminApiClient(BASE, scripted.fetch);
  await client.signIn({ tenant: 'demo', username: 'admin', password: 'admin-demo-pass' });
  scripted.requests.splice(0);
  return { client, requests: scripted.requests };
}

export function connection(overrides: Partial<CrmConnectionStatus> = {}): CrmConnectionStatus {
  return {
    kind: 'zendesk',
    status: 'connected',
    reason: null,
    accountUser: 'admin@acme.test',
    timeZone: 'Asia/Jakarta',
    settings: { account: 'acme', screenPop: 'user', recordings: 'link' },
    hasAppKey: false,
    updatedAt: '2025-11-22T06:05:00.000Z',
    ...overrides,
  };
}

export function counts(partial: Partial<Record<DeliveryState, number>> = {}): Record<DeliveryState, number> {
  return { pending: 0, running: 0, done: 0, parked: 0, 'waiting-auth': 0, ...partial };
}

export function overview(conn: CrmConnectionStatus | null, c: Partial<Record<DeliveryState, number>> = {}): CrmOverview {
  const all = counts(c);
  return { connection: conn, deliveries: { counts: all, needsReconnect: all['waiting-auth'] > 0 } };
}
