import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proxyRequest, type ProxySettings } from './zaf-proxy.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let upstream: Server;
let base: string;
const seen: Seen[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(req.url?.startsWith('/missing') ? 404 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

const settings = (overrides: Partial<ProxySettings> = {}): ProxySettings => ({
  public: { bridge_url: `${base}/` },
  secure: { tenant_key: 'sk_live_SECRET' },
  whitelist: ['127.0.0.1'],
  ...overrides,
});

const last = () => seen.at(-1)!;

describe('fake Zendesk proxy', () => {
  it('substitutes secure settings in URL, headers and data for a whitelisted host', async () => {
    const { response, record } = await proxyRequest({
      options: {
        url: `${base}/api/x?key={{setting.tenant_key}}`, type: 'POST', secure: true, contentType: 'application/json',
        headers: { Authorization: 'Bearer {{setting.tenant_key}}', Cookie: 'session=1' },
        data: { nested: ['{{ setting.tenant_key }}'], bridge: '{{setting.bridge_url}}' },
      },
    }, settings());
    expect(response).toEqual({ status: 200, statusText: 'OK', contentType: 'application/json', body: '{"ok":true}' });
    expect(record).toEqual({ method: 'POST', url: `${base}/api/x?key={{setting.tenant_key}}`, secure: true, status: 200 });
    expect(last().url).toBe('/api/x?key=sk_live_SECRET');
    expect(last().headers['authorization']).toBe('Bearer sk_live_SECRET');
    expect(last().headers['cookie']).toBeUndefined();
    expect(JSON.parse(last().body)).toEqual({ nested: ['sk_live_SECRET'], bridge: `${base}/` });
  });

  it('leaves placeholders alone without secure: true', async () => {
    await proxyRequest({ options: { url: `${base}/plain`, headers: { Authorization: 'Bearer {{setting.tenant_key}}' } } }, settings());
    expect(last().headers['authorization']).toBe('Bearer {{setting.tenant_key}}');
  });

  it('refuses to send a secret to a host outside the whitelist, without calling it', async () => {
    const before = seen.length;
    const { response } = await proxyRequest({
      options: { url: `${base}/x`, secure: true, headers: { Authorization: 'Bearer {{setting.tenant_key}}' } },
    }, settings({ whitelist: ['bridge.example.com'] }));
    expect(response.status).toBe(403);
    expect(response.body).not.toContain('SECRET');
    expect(seen.length).toBe(before);
  });

  it('sends relative URLs to the Zendesk API, and refuses them without one', async () => {
    await proxyRequest({ options: { url: '/api/v2/users/1.json', data: { a: 'b c' } } }, settings({ zendeskApiUrl: base }));
    expect(last()).toMatchObject({ method: 'GET', url: '/api/v2/users/1.json?a=b+c' });
    expect((await proxyRequest({ options: { url: '/api/v2/users/1.json' } }, settings())).response.status).toBe(404);
  });

  it('posts object data as a form by default, as jQuery does', async () => {
    await proxyRequest({ options: { url: `${base}/form`, type: 'put', data: { a: 1, b: 'x&y' } } }, settings());
    expect(last()).toMatchObject({ method: 'PUT', body: 'a=1&b=x%26y' });
    expect(last().headers['content-type']).toBe('application/x-www-form-urlencoded; charset=UTF-8');
  });

  it('passes an upstream error through and reports an unreachable upstream as 502', async () => {
    expect((await proxyRequest({ options: { url: `${base}/missing` } }, settings())).response.status).toBe(404);
    const down = await proxyRequest({ options: { url: 'http://127.0.0.1:1/' } }, settings());
    expect(down.response.status).toBe(502);
    expect(down.record.status).toBe(502);
  });

  it('refuses a malformed request, an unknown setting and non-http URLs', async () => {
    const status = async (body: unknown) => (await proxyRequest(body, settings())).response.status;
    expect(await status(null)).toBe(400);
    expect(await status({ options: { url: '' } })).toBe(400);
    expect(await status({ options: { url: `${base}/`, type: 'TRACE' } })).toBe(400);
    expect(await status({ options: { url: 'file:///etc/passwd' } })).toBe(400);
    expect(await status({ options: { url: 'not a url' } })).toBe(400);
    expect(await status({ options: { url: `${base}/`, secure: true, headers: { X: '{{setting.nope}}' } } })).toBe(400);
    expect(await status({ options: { url: `${base}/`, type: 'POST', data: 42 } })).toBe(400);
  });
});
