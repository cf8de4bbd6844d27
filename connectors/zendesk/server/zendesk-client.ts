import type { z } from 'zod';
import { systemClock, type Clock } from '../../../bridge-server/src/clock.js';
import { CrmError } from '../../../bridge-server/src/crm/crm-error.js';
import { crmFetch } from '../../../bridge-server/src/crm/crm-fetch.js';
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
    const { status, text } = await crmFetch({
      crm: CRM,
      method: r.method,
      url,
      headers: { authorization: this.#authorization },
      ok: r.ok,
      json: r.json,
      bytes: r.bytes,
      contentType: r.contentType,
      timeoutMs: this.#timeoutMs,
      clock: this.#clock,
      fetch: this.#fetch,
      errorFor: zendeskCrmError,
    });
    if (r.schema === undefined) return;
    return parseCrmAnswer(CRM, r.schema, text, `${r.method} ${url.pathname}`, status);
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
