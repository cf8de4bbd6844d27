import { describe, expect, it } from 'vitest';
import { requestVisitorToken, type FetchLike } from './token-client.js';
import { WidgetError, describeWidgetError } from './widget-errors.js';

const grant = {
  token: 'eyJhbGciOi.x.y',
  expiresAt: '2030-01-01T00:00:00.000Z',
  sip: {
    wsUrl: 'ws://localhost:8080/sip',
    domain: 'demo.sambung.local',
    queueUri: 'sip:sales@demo.sambung.local',
    visitorUri: 'sip:visitor-1@demo.sambung.local',
    displayName: 'Siti',
  },
  iceServers: [{ urls: 'stun:stun.example:3478' }],
};

function answering(status: number, body: unknown): { fetch: FetchLike; calls: { url: string; init: RequestInit }[] } {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { fetch, calls };
}

async function rejection(promise: Promise<unknown>): Promise<WidgetError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(WidgetError);
    return error as WidgetError;
  }
  throw new Error('expected a rejection');
}

describe('requestVisitorToken', () => {
  it('posts the details as JSON to api/visitor-token under the bridge base URL and returns the grant', async () => {
    const { fetch, calls } = answering(200, grant);
    const result = await requestVisitorToken(
      'https://bridge.example/',
      { tenant: 'demo', queue: 'sales', name: 'Siti', phone: '+6281234567890' },
      fetch,
    );
    expect(result).toEqual(grant);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('https://bridge.example/api/visitor-token');
    expect(calls[0]!.init.method).toBe('POST');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({
      tenant: 'demo',
      queue: 'sales',
      name: 'Siti',
      phone: '+6281234567890',
    });
  });

  it('defaults missing iceServers to an empty list', async () => {
    const { fetch } = answering(200, { ...grant, iceServers: undefined });
    expect((await requestVisitorToken('http://localhost:8080/', { tenant: 'demo', queue: 'sales' }, fetch)).iceServers)
      .toEqual([]);
  });

  it('reports an unreachable bridge when fetch itself fails', async () => {
    const fetch: FetchLike = async () => {
      throw new TypeError('Failed to fetch');
    };
    const error = await rejection(requestVisitorToken('http://localhost:1/', { tenant: 'd', queue: 'q' }, fetch));
    expect(error.code).toBe('WIDGET_ERR_BRIDGE_UNREACHABLE');
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(describeWidgetError(error)).toMatch(/could not reach/);
  });

  it("carries the bridge's 4xx code and field errors", async () => {
    const { fetch } = answering(400, {
      error: { code: 'VALIDATION', message: 'Invalid input', fieldErrors: { phone: ['Too short'], bogus: 3 } },
    });
    const error = await rejection(requestVisitorToken('http://b/', { tenant: 'demo', queue: 'sales' }, fetch));
    expect(error.code).toBe('WIDGET_ERR_TOKEN_REJECTED');
    expect(error.status).toBe(400);
    expect(error.serverCode).toBe('VALIDATION');
    expect(error.fieldErrors).toEqual({ phone: ['Too short'] });
  });

  it('handles a 4xx without a JSON body', async () => {
    const { fetch } = answering(404, 'not json');
    const error = await rejection(requestVisitorToken('http://b/', { tenant: 'demo', queue: 'nope' }, fetch));
    expect(error.code).toBe('WIDGET_ERR_TOKEN_REJECTED');
    expect(error.serverCode).toBeUndefined();
    expect(describeWidgetError(error)).toBe('This call line is not available.');
  });

  it('distinguishes a 5xx from a rejection', async () => {
    const { fetch } = answering(503, { error: { code: 'DOWN', message: 'x' } });
    const error = await rejection(requestVisitorToken('http://b/', { tenant: 'demo', queue: 'sales' }, fetch));
    expect(error.code).toBe('WIDGET_ERR_BRIDGE_FAILED');
  });

  it.each([
    ['no token', { ...grant, token: '' }],
    ['an http wsUrl', { ...grant, sip: { ...grant.sip, wsUrl: 'http://localhost:8080/sip' } }],
    ['a queueUri that is not SIP', { ...grant, sip: { ...grant.sip, queueUri: 'javascript:alert(1)' } }],
    ['no sip block', { token: 't' }],
  ])('refuses a 200 with %s', async (_label, body) => {
    const { fetch } = answering(200, body);
    const error = await rejection(requestVisitorToken('http://b/', { tenant: 'demo', queue: 'sales' }, fetch));
    expect(error.code).toBe('WIDGET_ERR_BAD_RESPONSE');
  });
});

describe('WidgetError.fromMediaError', () => {
  it('classifies getUserMedia failures by DOMException name', () => {
    expect(WidgetError.fromMediaError({ name: 'NotAllowedError' }).code).toBe('WIDGET_ERR_MIC_DENIED');
    expect(WidgetError.fromMediaError({ name: 'NotFoundError' }).code).toBe('WIDGET_ERR_MIC_UNAVAILABLE');
    expect(WidgetError.fromMediaError(undefined).code).toBe('WIDGET_ERR_MIC_UNAVAILABLE');
  });
});
