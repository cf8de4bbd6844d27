import type { z } from 'zod';
import { systemClock, type Clock } from '../../../bridge-server/src/clock.js';
import { CrmError } from '../../../bridge-server/src/crm/crm-error.js';
import { zendeskCrmError } from './zendesk-error-text.js';
import { parseCrmAnswer } from '../../../bridge-server/src/crm/crm-http-errors.js';

const CRM = 'Zendesk';

export interface ZendeskClientOptions {
  /** The account's origin, e.g. `https://acme.zendesk.com` (the API is under `/api/v2`). */
  readonly baseUrl: string;
  /** The `Authorization` header value. Kept private: never logged, never in an error or its cause. */
  readonly authorization: string;
  /** Every request, from sending to the last byte of the answer, is aborted after this long (default 30 s). */
  readonly timeoutMs?: number | undefined;
  readonly fetch?: typeof fetch | undefined;
  /** Drives the timeout and `Retry-After` dates (CONVENTIONS #7). */
  readonly clock?: Clock | undefined;
}

export interface ZendeskRequest<T> {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** `/api/v2/…` (with its query), or an absolute `next_page` URL, which must be on the account's origin. */
  readonly path: string;
  /** The statuses Zendesk documents for success; any other 2xx is `invalid-response`. */
  readonly ok: readonly number[];
  /** The documented body; without one the body is not read as JSON (the Talk display endpoints answer `""`). */
  readonly schema?: z.ZodType<T>;
  readonly json?: unknown;
  readonly bytes?: Uint8Array;
  readonly contentType?: string;
}

/**
 * HTTP to one Zendesk account: authentication, a timeout on every request, JSON in and out, and every failure as
 * a {@link CrmError} — statuses through `crm-http-errors.ts` (429/503 with `Retry-After`), answers the API does not
 * document as `invalid-response` saying what was wrong. Messages name the method and path, never the query (it can
 * hold a caller's e-mail) and never a header.
 */
export class ZendeskClient {
  readonly #base: URL;
  readonly #authorization: string;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;
  readonly #clock: Clock;

  constructor(options: ZendeskClientOptions) {
    this.#base = new URL(options.baseUrl);
    this.#authorization = options.authorization;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#fetch = options.fetch ?? fetch;
    this.#clock = options.clock ?? systemClock;
  }

  /** Reads a JSON body matching `schema`. */
  async request<T>(r: ZendeskRequest<T> & { schema: z.ZodType<T> }): Promise<T>;
  /** Sends a request whose successful answer carries nothing to read. */
  async request(r: ZendeskRequest<never>): Promise<void>;
  async request<T>(r: ZendeskRequest<T>): Promise<T | void> {
    const url = this.#url(r.path);
    const operation = `${r.method} ${url.pathname}`;
    const abort = new AbortController();
    const timer = this.#clock.setTimeout(() => abort.abort(), this.#timeoutMs);
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const headers: Record<string, string> = { authorization: this.#authorization, accept: 'application/json' };
      let body: BodyInit | undefined;
      if (r.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(r.json);
      } else if (r.bytes !== undefined) {
        headers['content-type'] = r.contentType ?? 'application/octet-stream';
        body = r.bytes as Uint8Array<ArrayBuffer>; // a part read into a Buffer of its own, never shared memory
      }
      // A redirect is not followed (it could carry the credentials to another host): 3xx is `invalid-response`.
      const response = await this.#fetch(url, { method: r.method, headers, body, signal: abort.signal, redirect: 'manual' });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      text = await response.text();
    } catch (error) {
      // The cause is left out on purpose: a custom fetch's error could carry the request, headers and all.
      if (abort.signal.aborted) throw CrmError.retryable(`${CRM} did not answer ${operation} within ${this.#timeoutMs} ms`);
      throw CrmError.retryable(`${CRM} unreachable on ${operation}: ${describe(error)}`);
    } finally {
      timer.cancel();
    }
    if (!r.ok.includes(status)) {
      if (status >= 200 && status <= 299) {
        throw CrmError.invalidResponse(`${CRM} answered ${operation} with ${status}, not ${r.ok.join('/')}`, { status });
      }
      throw zendeskCrmError({ operation, crm: CRM, status, retryAfter, body: text, now: this.#clock.now() });
    }
    if (r.schema === undefined) return;
    return parseCrmAnswer(CRM, r.schema, text, operation, status);
  }

  /** `path` resolved on the account's origin; a `next_page` pointing anywhere else is refused (no SSRF). */
  #url(path: string): URL {
    const url = new URL(path, this.#base);
    if (url.origin !== this.#base.origin || !url.pathname.startsWith('/api/v2/')) {
      throw CrmError.invalidResponse(`${CRM} pointed the adapter at ${url.origin}${url.pathname}, outside ${this.#base.origin}/api/v2`);
    }
    return url;
  }
}


/**
 * What went wrong on the network, by error code only (`ECONNREFUSED`, `ENOTFOUND`, `UND_ERR_SOCKET`): a message
 * is not shown because a custom fetch's message could quote the request, Authorization header included.
 */
function describe(error: unknown): string {
  const codeOf = (e: unknown): string | undefined => {
    const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
    return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : undefined;
  };
  const cause = error instanceof Error ? error.cause : undefined;
  return codeOf(cause) ?? codeOf(error) ?? (error instanceof Error && /^\w{1,40}$/.test(error.name) ? error.name : 'network error');
}
