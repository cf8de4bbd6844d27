/**
 * One HTTP exchange with a CRM, as every REST connector needs it: JSON or bytes out, a timeout from sending to
 * the last byte of the answer, redirects not followed (they could carry the credentials to another host), and
 * every failure as a {@link CrmError}: network and timeout `retryable`, an undocumented 2xx `invalid-response`,
 * any other status through `errorFor` (default `crm-http-errors.ts`). Messages name the method and path only —
 * never the query (it can hold a caller's e-mail), a header, or a network error's message (a custom fetch's could
 * quote the request, Authorization included).
 */
import type { Clock } from '../clock.js';
import { CrmError } from './crm-error.js';
import { crmErrorFromResponse, type FailedResponse } from './crm-http-errors.js';

export interface CrmExchange {
  readonly crm: string;
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly url: string | URL;
  /** Sent as they are (authorization, idempotency key …); `accept` and `content-type` are added here. */
  readonly headers: Readonly<Record<string, string>>;
  /** The statuses the API documents for success; any other 2xx is `invalid-response`. */
  readonly ok: readonly number[];
  readonly json?: unknown;
  readonly bytes?: Uint8Array | undefined;
  readonly contentType?: string | undefined;
  readonly timeoutMs: number;
  readonly clock: Clock;
  readonly fetch: typeof fetch;
  /** How a failed status becomes an error (a CRM with its own error body format reads it here). */
  readonly errorFor?: (r: FailedResponse) => CrmError;
}

/** Sends the request; resolves with the answer's status and text when the status is one of `ok`. */
export async function crmFetch(x: CrmExchange): Promise<{ status: number; text: string }> {
  const url = new URL(x.url);
  const operation = `${x.method} ${url.pathname}`;
  const abort = new AbortController();
  const timer = x.clock.setTimeout(() => abort.abort(), x.timeoutMs);
  let status: number;
  let text: string;
  let retryAfter: string | null;
  try {
    const headers: Record<string, string> = { ...x.headers, accept: 'application/json' };
    let body: BodyInit | undefined;
    if (x.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(x.json);
    } else if (x.bytes !== undefined) {
      headers['content-type'] = x.contentType ?? 'application/octet-stream';
      body = x.bytes as Uint8Array<ArrayBuffer>; // a part read into a Buffer of its own, never shared memory
    }
    const response = await x.fetch(url, { method: x.method, headers, body, signal: abort.signal, redirect: 'manual' });
    status = response.status;
    retryAfter = response.headers.get('retry-after');
    text = await response.text();
  } catch (error) {
    // The cause is left out on purpose: a custom fetch's error could carry the request, headers and all.
    if (abort.signal.aborted) throw CrmError.retryable(`${x.crm} did not answer ${operation} within ${x.timeoutMs} ms`);
    throw CrmError.retryable(`${x.crm} unreachable on ${operation}: ${networkErrorCode(error)}`);
  } finally {
    timer.cancel();
  }
  if (!x.ok.includes(status)) {
    if (status >= 200 && status <= 299) {
      throw CrmError.invalidResponse(`${x.crm} answered ${operation} with ${status}, not ${x.ok.join('/')}`, { status });
    }
    throw (x.errorFor ?? crmErrorFromResponse)({ operation, crm: x.crm, status, retryAfter, body: text, now: x.clock.now() });
  }
  return { status, text };
}

/** What went wrong on the network, by error code only (`ECONNREFUSED`, `ENOTFOUND`, `UND_ERR_SOCKET`). */
function networkErrorCode(error: unknown): string {
  const codeOf = (e: unknown): string | undefined => {
    const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
    return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : undefined;
  };
  const cause = error instanceof Error ? error.cause : undefined;
  return codeOf(cause) ?? codeOf(error) ?? (error instanceof Error && /^\w{1,40}$/.test(error.name) ? error.name : 'network error');
}
