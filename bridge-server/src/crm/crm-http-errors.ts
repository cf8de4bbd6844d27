import type { z } from 'zod';
import { CrmError } from './crm-error.js';

/**
 * The HTTP → {@link CrmError} mapping every REST-based adapter shares, so "429 means wait" is decided once.
 * Statuses per RFC 9110 §15; `Retry-After` per RFC 9110 §10.2.3 (delay-seconds or an HTTP-date).
 */

/** A `Retry-After` longer than this is clamped: a CRM bug must not stall deliveries for weeks. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/** Milliseconds to wait from `Retry-After` (seconds or HTTP-date), or undefined when absent or unparseable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(MAX_RETRY_AFTER_MS, Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, at - now));
}

export interface FailedResponse {
  /** e.g. `POST /api/v1/contacts`, for the message. */
  operation: string;
  /** The CRM's name for messages ("reference CRM", "Zendesk"). */
  crm: string;
  status: number;
  retryAfter: string | null;
  /** The response body as text (may be empty). */
  body: string;
  now: number;
}

/** Maps a non-2xx answer to its {@link CrmError} kind. */
export function crmErrorFromResponse(r: FailedResponse): CrmError {
  const { status } = r;
  const text = errorText(r.body);
  const said = text ? `: ${text}` : '';
  if (status === 401 || status === 403) {
    return CrmError.auth(`${r.crm} refused the credentials (${status}) on ${r.operation}: reconnect the CRM${said}`, { status });
  }
  if (status === 413) return CrmError.tooLarge(`${r.crm} refused the body of ${r.operation} as too large (413)${said}`);
  if (status === 408 || status === 429 || (status >= 500 && status <= 599)) {
    return CrmError.retryable(`${r.crm} answered ${status} on ${r.operation}${said}`, {
      status,
      retryAfterMs: parseRetryAfter(r.retryAfter, r.now),
    });
  }
  if (status >= 400 && status <= 499) return CrmError.rejected(text || `status ${status} on ${r.operation}`, { status });
  return CrmError.invalidResponse(`${r.crm} answered ${r.operation} with status ${status}, which its API does not document`, {
    status,
  });
}

const MAX_ERROR_TEXT = 500;

/**
 * The CRM's own words from an error body: the usual JSON shapes (`{error:{message}}`, `{message}`,
 * `{error, description}`, `{details}`) or the raw text, cut to 500 characters.
 */
export function errorText(body: string): string {
  const raw = body.trim();
  if (raw === '') return '';
  let text = raw;
  try {
    text = pick(JSON.parse(raw)) ?? raw;
  } catch {
    // not JSON: the raw text is the best we have
  }
  return text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT)}…` : text;
}

function pick(json: unknown): string | undefined {
  if (typeof json === 'string') return json;
  if (typeof json !== 'object' || json === null) return undefined;
  const o = json as Record<string, unknown>;
  const nested = typeof o['error'] === 'object' ? pick(o['error']) : undefined;
  if (nested) return nested;
  const parts = [o['error'], o['message'], o['description'], o['details']].filter((v): v is string => typeof v === 'string');
  return parts.length > 0 ? parts.join(': ') : undefined;
}

/**
 * A successful answer's body checked against the shape the CRM documents: not JSON, or not that shape, is
 * `invalid-response` naming the first thing that was wrong (`crm` names the CRM in the message).
 */
export function parseCrmAnswer<T>(crm: string, schema: z.ZodType<T>, text: string, operation: string, status: number): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw CrmError.invalidResponse(`${crm} answered ${operation} with a body that is not JSON`, { status, cause });
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'the body';
    throw CrmError.invalidResponse(`${crm} answered ${operation} with an undocumented body: ${where}: ${issue?.message ?? 'invalid'}`, {
      status,
    });
  }
  return result.data;
}
