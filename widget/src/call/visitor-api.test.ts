import { describe, expect, it } from 'vitest';
import type { FetchLike } from './bridge-http.js';
import { createVisitorApi } from './visitor-api.js';
import { WidgetError, describeWidgetError } from './widget-errors.js';

function bridge(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
      status, headers: { 'content-type': 'application/json' },
    });
  };
  return { api: createVisitorApi('https://bridge.example/sambung/', fetch), calls };
}

const headers = (init: RequestInit) => init.headers as Record<string, string>;

async function rejection(promise: Promise<unknown>): Promise<WidgetError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(WidgetError);
    return error as WidgetError;
  }
  throw new Error('expected a rejection');
}

describe('VisitorApi.callbackSlots', () => {
  it('GETs the slots with the bearer token and no body, under the bridge base path', async () => {
    const { api, calls } = bridge(200, { slots: ['2026-11-23T03:00:00.000Z', '2026-11-23T02:00:00.000Z'], timeZone: 'Asia/Jakarta' });
    expect(await api.callbackSlots('tok')).toEqual({
      slots: ['2026-11-23T02:00:00.000Z', '2026-11-23T03:00:00.000Z'], timeZone: 'Asia/Jakarta',
    });
    expect(calls[0]!.url).toBe('https://bridge.example/sambung/api/visitor/callback-slots');
    expect(calls[0]!.init.method).toBe('GET');
    expect(calls[0]!.init.body).toBeUndefined();
    expect(calls[0]!.init.credentials).toBe('omit');
    expect(headers(calls[0]!.init).authorization).toBe('Bearer tok');
    expect(headers(calls[0]!.init)['content-type']).toBeUndefined();
  });

  it('drops slots that are not instants, and refuses a body without a list', async () => {
    expect((await bridge(200, { slots: ['x', 3, '2026-11-23T02:00:00Z'] }).api.callbackSlots('t')).slots)
      .toEqual(['2026-11-23T02:00:00Z']);
    expect((await rejection(bridge(200, { slots: 'soon' }).api.callbackSlots('t'))).code).toBe('WIDGET_ERR_BAD_RESPONSE');
    expect((await rejection(bridge(200, '<html>').api.callbackSlots('t'))).code).toBe('WIDGET_ERR_BAD_RESPONSE');
  });

  it('marks a 401 as an expired token', async () => {
    const error = await rejection(bridge(401, { error: { code: 'AUTH_EXPIRED', message: 'expired' } }).api.callbackSlots('t'));
    expect(error.code).toBe('WIDGET_ERR_REQUEST_REJECTED');
    expect(error.isUnauthorized).toBe(true);
  });
});

describe('VisitorApi.bookCallback', () => {
  it('POSTs the chosen slot (and a phone only when given) and returns the booking', async () => {
    const { api, calls } = bridge(201, { id: 'cb-1', at: '2026-11-23T02:00:00.000Z' });
    expect(await api.bookCallback('tok', { at: '2026-11-23T02:00:00.000Z' })).toEqual({ id: 'cb-1', at: '2026-11-23T02:00:00.000Z' });
    expect(calls[0]!.url).toBe('https://bridge.example/sambung/api/visitor/callbacks');
    expect(calls[0]!.init.method).toBe('POST');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ at: '2026-11-23T02:00:00.000Z' });
    expect(headers(calls[0]!.init)['content-type']).toBe('application/json');

    await api.bookCallback('tok', { at: '2026-11-23T02:00:00.000Z', phone: '+6281234567890' });
    expect(JSON.parse(String(calls[1]!.init.body))).toEqual({ at: '2026-11-23T02:00:00.000Z', phone: '+6281234567890' });
  });

  it("carries the bridge's field errors on a 400", async () => {
    const error = await rejection(bridge(400, { error: { message: 'invalid', fieldErrors: { at: ['that slot is taken'], x: 5 } } })
      .api.bookCallback('t', { at: '2026-11-23T02:00:00.000Z' }));
    expect(error.status).toBe(400);
    expect(error.fieldErrors).toEqual({ at: ['that slot is taken'] });
    expect(error.isUnauthorized).toBe(false);
  });

  it('refuses a 201 without an id', async () => {
    expect((await rejection(bridge(201, {}).api.bookCallback('t', { at: 'x' }))).code).toBe('WIDGET_ERR_BAD_RESPONSE');
  });
});

describe('VisitorApi.keepPlace', () => {
  it('POSTs the SIP Call-ID of the waiting INVITE', async () => {
    const { api, calls } = bridge(200, { ok: true });
    await api.keepPlace('tok', { callId: 'abc123@host' });
    expect(calls[0]!.url).toBe('https://bridge.example/sambung/api/visitor/keep-place');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ callId: 'abc123@host' });
  });

  it('fails on a 5xx, an unreachable bridge, or an answer that is not ok', async () => {
    expect((await rejection(bridge(503, {}).api.keepPlace('t', { callId: 'c' }))).code).toBe('WIDGET_ERR_BRIDGE_FAILED');
    expect((await rejection(bridge(200, { ok: false }).api.keepPlace('t', { callId: 'c' }))).code).toBe('WIDGET_ERR_BAD_RESPONSE');
    const offline = createVisitorApi('https://b/', async () => {
      throw new TypeError('Failed to fetch');
    });
    const error = await rejection(offline.keepPlace('t', { callId: 'c' }));
    expect(error.code).toBe('WIDGET_ERR_BRIDGE_UNREACHABLE');
    expect(describeWidgetError(error)).toMatch(/reach/);
  });
});
