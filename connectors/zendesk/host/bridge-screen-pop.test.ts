import { describe, expect, it } from 'vitest';
import { HostAdapterError, type CallerInfo } from '../../softphone/src/host-adapter.js';
import { createBridgeScreenPop, parseScreenPopResult, type FetchLike } from './bridge-screen-pop.js';

const caller: CallerInfo = { callId: 'cdr/1 2', queue: 'sales', name: 'Siti', phone: '+62812', email: '' };

function recordingFetch(respond: () => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    return respond();
  };
  return { calls, fetch };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

async function unavailable(promise: Promise<unknown>): Promise<HostAdapterError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(HostAdapterError);
  expect((error as HostAdapterError).code).toBe('HOST_ERR_UNAVAILABLE');
  return error as HostAdapterError;
}

describe('bridge screen pop', () => {
  it('posts to the call’s screen-pop URL with the agent’s bearer token', async () => {
    const { calls, fetch } = recordingFetch(() => json({ kind: 'opened', record: { id: 123, label: 'Siti', type: 'user' } }));
    const bridge = createBridgeScreenPop({ bridgeUrl: 'https://bridge.example/base/', getToken: () => 'tok', fetch });
    await expect(bridge.screenPop(caller)).resolves.toEqual({ kind: 'opened', record: { id: '123', label: 'Siti', type: 'user' } });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('https://bridge.example/base/api/agent/calls/cdr%2F1%202/screen-pop');
    expect(calls[0]!.init).toMatchObject({ method: 'POST', body: '{}', credentials: 'omit' });
    expect((calls[0]!.init.headers as Record<string, string>)['authorization']).toBe('Bearer tok');
  });

  it('sends the agent’s choice as { record: { id, type, label } }', async () => {
    const { calls, fetch } = recordingFetch(() => json({ kind: 'opened', record: { id: '9', label: 'x' } }));
    const bridge = createBridgeScreenPop({ bridgeUrl: 'https://bridge.example/', getToken: () => 'tok', fetch });
    await bridge.choose('call-1', { id: '9', label: 'Siti', type: 'ticket' });
    await bridge.choose('call-1', { id: '10', label: 'Budi' });
    expect(calls.map((c) => JSON.parse(String(c.init.body)))).toEqual([
      { record: { id: '9', type: 'ticket', label: 'Siti' } },
      { record: { id: '10', type: 'contact', label: 'Budi' } },
    ]);
  });

  it('names the agent’s Zendesk user once known, for Talk Partner Edition’s display', async () => {
    const { calls, fetch } = recordingFetch(() => json({ kind: 'none' }));
    let agentId: string | null = null;
    const bridge = createBridgeScreenPop({ bridgeUrl: 'https://bridge.example/', getToken: () => 'tok', getZendeskAgentId: () => agentId, fetch });
    await bridge.screenPop(caller);
    agentId = '7001';
    await bridge.screenPop(caller);
    await bridge.choose('call-1', { id: '9', label: 'Siti' });
    expect(calls.map((c) => JSON.parse(String(c.init.body)))).toEqual([
      {},
      { zendeskAgentId: '7001' },
      { record: { id: '9', type: 'contact', label: 'Siti' }, zendeskAgentId: '7001' },
    ]);
  });

  it('tells why nothing was displayed when the bridge gives a reason, and says nothing otherwise', async () => {
    const answers = [json({ kind: 'none', reason: 'the agent has no zendesk user mapping' }), json({ kind: 'none' }), json({ kind: 'opened', record: { id: '1', label: 'x' } })];
    const { fetch } = recordingFetch(() => answers.shift()!);
    const reasons: string[] = [];
    const bridge = createBridgeScreenPop({ bridgeUrl: 'https://bridge.example/', getToken: () => 'tok', fetch, onNoScreenPop: (r) => reasons.push(r) });
    expect(await bridge.screenPop(caller)).toEqual({ kind: 'none' });
    await bridge.screenPop(caller);
    await bridge.screenPop(caller);
    expect(reasons).toEqual(['the agent has no zendesk user mapping']);
  });

  it('does not call the bridge without a softphone session', async () => {
    const { calls, fetch } = recordingFetch(() => json({ kind: 'none' }));
    const bridge = createBridgeScreenPop({ bridgeUrl: 'https://bridge.example/', getToken: () => null, fetch });
    await unavailable(bridge.screenPop(caller));
    expect(calls).toEqual([]);
  });

  it('reports an unreachable bridge, an HTTP error and a body that is not JSON', async () => {
    const down = createBridgeScreenPop({
      bridgeUrl: 'https://bridge.example/', getToken: () => 't', fetch: () => Promise.reject(new TypeError('fetch failed')),
    });
    expect((await unavailable(down.screenPop(caller))).cause).toBeInstanceOf(TypeError);
    const refused = createBridgeScreenPop({ bridgeUrl: 'https://bridge.example/', getToken: () => 't', fetch: async () => json({}, 401) });
    expect((await unavailable(refused.screenPop(caller))).message).toContain('401');
    const garbled = createBridgeScreenPop({
      bridgeUrl: 'https://bridge.example/', getToken: () => 't', fetch: async () => new Response('<html>', { status: 200 }),
    });
    await unavailable(garbled.screenPop(caller));
  });
});

describe('parseScreenPopResult', () => {
  it('reads every documented answer', () => {
    expect(parseScreenPopResult({ kind: 'created', record: { id: 5, label: 'Web User – 01/02 10:00', type: 'user' } }))
      .toEqual({ kind: 'created', record: { id: '5', label: 'Web User – 01/02 10:00', type: 'user' } });
    expect(parseScreenPopResult({ kind: 'choose', candidates: [{ id: 1, label: 'A' }, { id: '2', label: '<b>B</b>' }] }))
      .toEqual({ kind: 'choose', candidates: [{ id: '1', label: 'A' }, { id: '2', label: '<b>B</b>' }] });
    expect(parseScreenPopResult({ kind: 'none', reason: 'no phone or e-mail' })).toEqual({ kind: 'none' });
  });

  it('rejects any other shape', () => {
    for (const body of [null, [], { kind: 'opened' }, { kind: 'opened', record: { label: 'no id' } },
      { kind: 'choose', candidates: [] }, { kind: 'choose' }, { kind: 'popped' }]) {
      expect(() => parseScreenPopResult(body), JSON.stringify(body)).toThrow(HostAdapterError);
    }
  });
});
