/**
 * The fake agent page's stand-in for Zendesk's request proxy (what `client.request({ cors: false })` goes
 * through). It sends the app's request from node and hands back the answer; with `secure: true` it first
 * replaces `{{setting.<name>}}` in the URL, header values and data with the installation's settings —
 * secure ones included — but only towards a host in the domain whitelist, so a secret is never sent anywhere
 * the manifest did not allow and never reaches the browser.
 */
import type { ProxyResponseBody } from '../fake-host/fake-host-config.js';

export interface ProxySettings {
  readonly public: Readonly<Record<string, string | number | boolean>>;
  readonly secure: Readonly<Record<string, string>>;
  /** Hosts secure settings may be sent to: exact host names, or `host:port`. */
  readonly whitelist: readonly string[];
  /** Base for relative URLs (`/api/v2/…`), i.e. the Zendesk REST API. */
  readonly zendeskApiUrl?: string;
  readonly timeoutMs?: number;
}

/** One request as the test may inspect it: the URL as the app wrote it, placeholders and all. */
export interface ProxiedRequest {
  readonly method: string;
  readonly url: string;
  readonly secure: boolean;
  readonly status: number;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const PLACEHOLDER = /\{\{\s*setting\.([A-Za-z0-9_]+)\s*\}\}/g;
const DROPPED_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'cookie', 'origin', 'referer']);

class ProxyRefusal extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export async function proxyRequest(body: unknown, settings: ProxySettings): Promise<{ response: ProxyResponseBody; record: ProxiedRequest }> {
  const options = typeof body === 'object' && body !== null ? (body as { options?: unknown }).options : undefined;
  const opts = (typeof options === 'object' && options !== null ? options : {}) as Record<string, unknown>;
  const method = typeof opts['type'] === 'string' ? opts['type'].toUpperCase() : 'GET';
  const template = typeof opts['url'] === 'string' ? opts['url'] : '';
  const secure = opts['secure'] === true;
  const record = (status: number): ProxiedRequest => ({ method, url: template, secure, status });
  try {
    if (template === '') throw new ProxyRefusal(400, 'request needs a url');
    if (!METHODS.has(method)) throw new ProxyRefusal(400, `unsupported method ${method}`);
    const fill = (text: string): string => (secure ? substitute(text, settings) : text);
    const target = resolveUrl(fill(template), settings);
    if (secure && !settings.whitelist.includes(target.hostname) && !settings.whitelist.includes(target.host)) {
      throw new ProxyRefusal(403, `secure settings are not sent to ${target.hostname}: it is not in the domainWhitelist`);
    }
    const headers = new Headers();
    if (typeof opts['headers'] === 'object' && opts['headers'] !== null) {
      for (const [name, value] of Object.entries(opts['headers'] as Record<string, unknown>)) {
        if (typeof value === 'string' && !DROPPED_HEADERS.has(name.toLowerCase())) headers.set(name, fill(value));
      }
    }
    const payload = requestBody(method, opts, target, headers, fill);
    const upstream = await fetch(target, {
      method, headers, ...(payload === undefined ? {} : { body: payload }),
      signal: AbortSignal.timeout(settings.timeoutMs ?? 10_000),
    }).catch((error: unknown) => {
      throw new ProxyRefusal(502, `upstream unreachable: ${error instanceof Error ? error.message : String(error)}`);
    });
    const response: ProxyResponseBody = {
      status: upstream.status,
      statusText: upstream.statusText,
      contentType: upstream.headers.get('content-type') ?? '',
      body: await upstream.text(),
    };
    return { response, record: record(upstream.status) };
  } catch (error) {
    const status = error instanceof ProxyRefusal ? error.status : 500;
    const message = error instanceof Error ? error.message : String(error);
    return { response: { status, statusText: 'Proxy refused', contentType: 'text/plain', body: `proxy: ${message}` }, record: record(status) };
  }
}

function substitute(text: string, settings: ProxySettings): string {
  return text.replace(PLACEHOLDER, (_match, name: string) => {
    const value = Object.prototype.hasOwnProperty.call(settings.secure, name) ? settings.secure[name]
      : Object.prototype.hasOwnProperty.call(settings.public, name) ? settings.public[name] : undefined;
    if (value === undefined) throw new ProxyRefusal(400, `unknown setting ${name}`);
    return String(value);
  });
}

function resolveUrl(url: string, settings: ProxySettings): URL {
  let target: URL;
  try {
    if (url.startsWith('/')) {
      if (!settings.zendeskApiUrl) throw new ProxyRefusal(404, 'no Zendesk API behind this fake');
      target = new URL(url, settings.zendeskApiUrl);
    } else {
      target = new URL(url);
    }
  } catch (error) {
    if (error instanceof ProxyRefusal) throw error;
    throw new ProxyRefusal(400, 'invalid url');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new ProxyRefusal(400, 'only http(s) urls');
  return target;
}

/** jQuery's rules: an object goes in the query string for GET/DELETE, else as JSON or a form body. */
function requestBody(method: string, opts: Record<string, unknown>, target: URL, headers: Headers,
  fill: (text: string) => string): string | undefined {
  const data = opts['data'];
  const contentType = typeof opts['contentType'] === 'string' ? opts['contentType'] : undefined;
  if (data === undefined || data === null) return undefined;
  if (typeof data === 'string') {
    if (contentType) headers.set('content-type', contentType);
    return fill(data);
  }
  if (typeof data !== 'object') throw new ProxyRefusal(400, 'data must be a string or an object');
  const filled = fillDeep(data, fill) as Record<string, unknown>;
  if (method === 'GET' || method === 'DELETE') {
    for (const [key, value] of Object.entries(filled)) target.searchParams.set(key, String(value));
    return undefined;
  }
  if (contentType && /json/i.test(contentType)) {
    headers.set('content-type', contentType);
    return JSON.stringify(filled);
  }
  headers.set('content-type', contentType ?? 'application/x-www-form-urlencoded; charset=UTF-8');
  return new URLSearchParams(Object.entries(filled).map(([k, v]) => [k, String(v)])).toString();
}

function fillDeep(value: unknown, fill: (text: string) => string): unknown {
  if (typeof value === 'string') return fill(value);
  if (Array.isArray(value)) return value.map((item) => fillDeep(item, fill));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillDeep(v, fill)]));
  }
  return value;
}
