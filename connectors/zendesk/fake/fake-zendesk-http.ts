/**
 * HTTP plumbing of the fake Zendesk: replies, Zendesk's error bodies, request bodies and offset pagination.
 *
 * Error bodies as Zendesk sends them (developer.zendesk.com/api-reference/introduction/requests/, and the bodies
 * Zendesk's API clients parse: `{"error":"Couldn't authenticate you"}` with `WWW-Authenticate: Basic
 * realm="Web Password"`, `{"error":"RecordNotFound","description":"Not found"}`, and `RecordInvalid` with
 * field-keyed `details`).
 */
import type { IncomingMessage } from 'node:http';

export interface Reply {
  status: number;
  /** JSON-serialised unless a string or Buffer. */
  body: unknown;
  headers?: Record<string, string>;
}

/** A refusal the router throws; the server answers it as is. */
export class ZendeskRefusal extends Error {
  constructor(readonly reply: Reply) {
    super(`${reply.status}`);
  }

  static unauthenticated(): ZendeskRefusal {
    return new ZendeskRefusal({
      status: 401,
      body: { error: "Couldn't authenticate you" },
      headers: { 'www-authenticate': 'Basic realm="Web Password"' },
    });
  }

  static forbidden(): ZendeskRefusal {
    return new ZendeskRefusal({
      status: 403,
      body: { error: 'Forbidden', description: 'You do not have access to this page. Please contact the account owner of this help desk for further help.' },
    });
  }

  static notFound(): ZendeskRefusal {
    return new ZendeskRefusal({ status: 404, body: { error: 'RecordNotFound', description: 'Not found' } });
  }

  static invalidEndpoint(): ZendeskRefusal {
    return new ZendeskRefusal({ status: 404, body: { error: 'InvalidEndpoint', description: 'Not found' } });
  }

  /** 422 RecordInvalid: `details` maps a field to its messages (`"Email: x is not properly formatted"`). */
  static invalid(details: Record<string, string[]>, code = 'InvalidValue'): ZendeskRefusal {
    const body = {
      error: 'RecordInvalid',
      description: 'Record validation errors',
      details: Object.fromEntries(Object.entries(details).map(([field, texts]) => [field, texts.map((description) => ({ description, error: code }))])),
    };
    return new ZendeskRefusal({ status: 422, body });
  }

  static badRequest(error: string, description: string): ZendeskRefusal {
    return new ZendeskRefusal({ status: 400, body: { error, description } });
  }

  static tooLarge(limit: number): ZendeskRefusal {
    return new ZendeskRefusal({
      status: 413,
      body: { error: 'RequestEntityTooLarge', description: `The file exceeds the maximum attachment size of ${limit} bytes` },
    });
  }

  static rateLimited(retryAfterSec: string): ZendeskRefusal {
    return new ZendeskRefusal({
      status: 429,
      body: { error: 'TooManyRequests', description: `You have exceeded the rate limit. Retry after ${retryAfterSec} seconds.` },
      headers: { 'retry-after': retryAfterSec },
    });
  }

  static serverError(status = 500): ZendeskRefusal {
    return new ZendeskRefusal({ status, body: { error: 'InternalServerError', description: 'Something went wrong. Please try again later.' } });
  }
}


/** The JSON object a write sends (`{"ticket": {...}}`); Zendesk wants `application/json`. */
export function jsonBody(req: IncomingMessage, body: Buffer | 'too-large', limit: number): Record<string, unknown> {
  if (body === 'too-large') throw ZendeskRefusal.tooLarge(limit);
  if ((req.headers['content-type'] ?? '').split(';')[0]?.trim() !== 'application/json') {
    throw ZendeskRefusal.badRequest('InvalidContentType', 'Send the body as application/json');
  }
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw ZendeskRefusal.badRequest('InvalidJSON', 'The request body is not valid JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw ZendeskRefusal.badRequest('InvalidJSON', 'The request body must be a JSON object');
  return json as Record<string, unknown>;
}

/** `body[key]` as an object, or 400 like Zendesk's "Parameter missing" answer. */
export function objectParam(body: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = body[key];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw ZendeskRefusal.badRequest('ParameterMissing', `Parameter ${key} is required`);
  }
  return value as Record<string, unknown>;
}

export interface Page<T> {
  items: T[];
  next_page: string | null;
  previous_page: string | null;
  count: number;
}

/**
 * Offset pagination ("Pagination" in the API introduction): `page` (1-based) and `per_page` (at most 100, the
 * default); `next_page`/`previous_page` are absolute URLs of the neighbouring pages, null at the ends.
 */
export function paginate<T>(items: readonly T[], url: URL, publicBase: string): Page<T> {
  const perPage = clamp(Number(url.searchParams.get('per_page') ?? 100), 1, 100);
  const page = Math.max(1, Math.floor(Number(url.searchParams.get('page') ?? 1)) || 1);
  const link = (n: number): string => {
    const next = new URL(`${url.pathname}${url.search}`, publicBase);
    next.searchParams.set('page', String(n));
    next.searchParams.set('per_page', String(perPage));
    return next.toString();
  };
  const start = (page - 1) * perPage;
  return {
    items: items.slice(start, start + perPage),
    next_page: start + perPage < items.length ? link(page + 1) : null,
    previous_page: page > 1 ? link(page - 1) : null,
    count: items.length,
  };
}

function clamp(n: number, min: number, max: number): number {
  return Number.isFinite(n) ? Math.min(max, Math.max(min, Math.floor(n))) : max;
}

/** The HTML Zendesk renders for a plain-text body: escaped, line breaks as `<br>`, in a paragraph. */
export function htmlBody(text: string): string {
  const escaped = text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
  return `<div class="zd-comment" dir="auto"><p>${escaped.replace(/\n/g, '<br>')}</p></div>`;
}
