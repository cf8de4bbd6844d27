import { z } from 'zod';
import { systemClock, type Clock } from '../clock.js';
import type {
  CrmAdapter,
  CrmAttachmentRef,
  CrmCallLog,
  CrmCallLogRef,
  CrmContact,
  CrmContext,
  NewCrmContact,
  RecordingPart,
} from './crm-adapter.js';
import { MIN_PHONE_DIGITS, normalizeEmail, phoneDigits } from './contact-match.js';
import { CrmError } from './crm-error.js';
import { crmFetch } from './crm-fetch.js';
import { parseCrmAnswer } from './crm-http-errors.js';
import { readPartBytes } from './recording-part.js';
import { contactName } from './web-user-name.js';

export interface HttpCrmAdapterOptions {
  /** The CRM's origin, e.g. `http://127.0.0.1:41234` (the API is under `/api/v1`). */
  baseUrl: string;
  /**
   * The tenant's API token, read before every request so reconnecting the CRM (a new token) takes effect without
   * rebuilding the adapter. Never logged, never put in an error message.
   */
  token: () => string | Promise<string>;
  /** Every request (including reading its answer) is aborted after this long (default 30 s). */
  timeoutMs?: number;
  /** Drives the timeout (CONVENTIONS #7). */
  clock?: Clock;
  fetch?: typeof fetch;
}

const CRM = 'reference CRM';

const contactSchema = z.object({ id: z.string().min(1), name: z.string(), phone: z.string().nullable(), email: z.string().nullable() });
const contactList = z.object({ data: z.array(contactSchema) });
const oneContact = z.object({ data: contactSchema });
const oneCallLog = z.object({ data: z.object({ id: z.string().min(1) }) });
const oneAttachment = z.object({ data: z.object({ id: z.string().min(1) }) });

interface Request<T> {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  /** The statuses the API documents for success. */
  ok: readonly number[];
  schema: z.ZodType<T>;
  json?: unknown;
  body?: Uint8Array;
  contentType?: string;
  idempotencyKey?: string;
}

/**
 * The {@link CrmAdapter} for the reference CRM (`fake-crm-server.ts`) over `fetch` — the shape a REST connector
 * takes: one request per operation, a timeout on each, the `Idempotency-Key` header on every write, every
 * failure mapped by `crm-http-errors.ts`, and every success checked against the documented response schema.
 */
export class HttpCrmAdapter implements CrmAdapter {
  readonly #base: string;
  readonly #token: () => string | Promise<string>;
  readonly #timeoutMs: number;
  readonly #clock: Clock;
  readonly #fetch: typeof fetch;

  constructor(options: HttpCrmAdapterOptions) {
    this.#base = options.baseUrl.replace(/\/+$/, '');
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#clock = options.clock ?? systemClock;
    this.#fetch = options.fetch ?? fetch;
  }

  async findContactsByPhone(_ctx: CrmContext, phone: string): Promise<CrmContact[]> {
    const digits = phoneDigits(phone);
    if (digits.length < MIN_PHONE_DIGITS) return [];
    const path = `/api/v1/contacts?phone=${encodeURIComponent(digits)}`;
    return (await this.#request({ method: 'GET', path, ok: [200], schema: contactList })).data;
  }

  async findContactsByEmail(_ctx: CrmContext, email: string): Promise<CrmContact[]> {
    const address = normalizeEmail(email);
    if (address === '') return [];
    const path = `/api/v1/contacts?email=${encodeURIComponent(address)}`;
    return (await this.#request({ method: 'GET', path, ok: [200], schema: contactList })).data;
  }

  async createContact(ctx: CrmContext, contact: NewCrmContact, idempotencyKey: string): Promise<CrmContact> {
    const json = { name: contactName(contact.name, contact.at, ctx.timeZone), phone: contact.phone, email: contact.email };
    const reply = await this.#request({ method: 'POST', path: '/api/v1/contacts', ok: [201], schema: oneContact, json, idempotencyKey });
    return reply.data;
  }

  async upsertCallLog(_ctx: CrmContext, log: CrmCallLog, idempotencyKey: string): Promise<CrmCallLogRef> {
    const json = {
      direction: log.direction,
      from: log.from,
      to: log.to,
      queue: log.queue,
      agent: log.agent && { id: log.agent.crmUserId ?? log.agent.id, name: log.agent.name },
      started_at: log.startedAt.toISOString(),
      duration_sec: log.durationSec,
      wait_sec: log.waitSec,
      outcome: log.outcome,
      disposition: log.disposition,
      notes: log.notes,
      contact_id: log.contactId,
    };
    const path = `/api/v1/call-logs/by-call/${encodeURIComponent(log.callId)}`;
    return (await this.#request({ method: 'PUT', path, ok: [200, 201], schema: oneCallLog, json, idempotencyKey })).data.id;
  }

  async attachRecordingPart(
    _ctx: CrmContext,
    callLogRef: CrmCallLogRef,
    part: RecordingPart,
    idempotencyKey: string,
  ): Promise<CrmAttachmentRef> {
    const body = await readPartBytes(part);
    const query = new URLSearchParams({ filename: part.filename, part: String(part.index), total: String(part.total) });
    const path = `/api/v1/call-logs/${encodeURIComponent(callLogRef)}/attachments?${query}`;
    const request = { method: 'POST', path, ok: [201], schema: oneAttachment, body, contentType: part.contentType, idempotencyKey } as const;
    return (await this.#request(request)).data.id;
  }

  /** One request, bounded by the timeout from sending to the last byte of the answer. */
  async #request<T>(r: Request<T>): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${await this.#token()}` };
    if (r.idempotencyKey !== undefined) headers['idempotency-key'] = r.idempotencyKey;
    const { status, text } = await crmFetch({
      crm: CRM,
      method: r.method,
      url: `${this.#base}${r.path}`,
      headers,
      ok: r.ok,
      json: r.json,
      bytes: r.body,
      contentType: r.contentType,
      timeoutMs: this.#timeoutMs,
      clock: this.#clock,
      fetch: this.#fetch,
    });
    return parseCrmAnswer(CRM, r.schema, text, `${r.method} ${r.path.split('?')[0]}`, status);
  }
}

