import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { systemClock, type Clock } from '../clock.js';
import { MIN_PHONE_DIGITS, normalizeEmail, phoneDigits, sameEmail, samePhone } from './contact-match.js';
import { readBody } from './fake-http-body.js';
import { FakeCrmFaults, type FakeFault, type FaultRule } from './fake-crm-faults.js';

/**
 * The "reference CRM": a small REST service with the habits of the real ones (bearer tokens, JSON, an
 * `Idempotency-Key` header on writes, raw binary uploads with a size limit, 401/413/422/429 error bodies), used to
 * test `HttpCrmAdapter` and the delivery pipeline over real HTTP. Its API, under `/api/v1`:
 *
 * ```
 * GET  /contacts?phone=<digits> | ?email=<address>   200 {data: Contact[]}
 * POST /contacts               {name, phone, email}  201 {data: Contact}           Idempotency-Key required
 * PUT  /call-logs/by-call/:callId  {CallLog fields}   201|200 {data: CallLog}      Idempotency-Key required
 * POST /call-logs/:id/attachments?filename=&part=&total=   body audio/wav   201 {data: Attachment}   (413 above the limit)
 * errors: {error: {code, message}}; a replayed Idempotency-Key answers the first response again
 * ```
 * `POST /_control/faults` ({@link FaultRule} JSON) and `DELETE /_control/faults` drive {@link FakeCrmFaults} from
 * another process; tests use `faults` directly.
 */

export interface FakeContact { id: string; name: string; phone: string | null; email: string | null; created_at: string }
export interface FakeCallLog {
  id: string;
  call_id: string;
  direction: 'inbound' | 'outbound';
  from: string;
  to: string;
  queue: string;
  agent: { id: string; name: string } | null;
  started_at: string;
  duration_sec: number;
  wait_sec: number;
  outcome: string;
  disposition: string | null;
  notes: string | null;
  contact_id: string | null;
  updated_at: string;
}
export interface FakeAttachment {
  id: string;
  call_log_id: string;
  filename: string;
  content_type: string;
  size: number;
  part: number;
  total: number;
  bytes: Buffer;
}

/** One CRM account (a tenant's CRM), reached with its bearer token. */
export interface FakeCrmAccount {
  readonly id: string;
  token: string;
  readonly contacts: FakeContact[];
  readonly callLogs: FakeCallLog[];
  readonly attachments: FakeAttachment[];
  readonly idempotency: Map<string, { request: string; status: number; body: string }>;
}

export interface FakeRequest {
  method: string;
  path: string;
  /** The query string, `?…` or empty. */
  query: string;
  idempotencyKey: string | undefined;
  /** The status answered, or `none` when the fake never answered. */
  status: number | 'none';
}

export interface FakeCrmOptions {
  clock?: Clock;
  /** Uploads above this fail with 413 (default 50 MiB). */
  maxAttachmentBytes?: number;
}

const MAX_JSON_BYTES = 1024 * 1024;

type Reply = { status: number; body: unknown; headers?: Record<string, string> };
class Refusal extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

const contactBody = z.object({
  name: z.string().trim().min(1, 'Name: cannot be blank').max(255),
  phone: z.string().regex(/^[+\d\s().-]{5,40}$/, 'Phone number is invalid').nullable(),
  email: z.string().email('Email is invalid').nullable(),
});
const callLogBody = z.object({
  direction: z.enum(['inbound', 'outbound']),
  from: z.string(),
  to: z.string(),
  queue: z.string(),
  agent: z.object({ id: z.string(), name: z.string() }).nullable(),
  started_at: z.string().datetime(),
  duration_sec: z.number().nonnegative(),
  wait_sec: z.number().nonnegative(),
  outcome: z.enum(['answered', 'abandoned', 'missed', 'failed', 'voicemail']),
  disposition: z.string().nullable(),
  notes: z.string().nullable(),
  contact_id: z.string().nullable(),
});

const faultRule = z.object({
  fault: z.discriminatedUnion('type', [
    z.object({ type: z.literal('status'), status: z.number().int().min(100).max(599), retryAfter: z.string().optional(), message: z.string().optional() }),
    z.object({ type: z.literal('hang') }),
    z.object({ type: z.literal('garbage') }),
    z.object({ type: z.literal('lost-response') }),
  ]),
  times: z.number().int().positive().optional(),
  forMs: z.number().positive().optional(),
  match: z.string().optional(),
});

export class FakeCrmServer {
  readonly faults: FakeCrmFaults;
  readonly requests: FakeRequest[] = [];
  readonly #server: Server;
  readonly #clock: Clock;
  readonly #maxAttachmentBytes: number;
  readonly #accounts = new Map<string, FakeCrmAccount>();
  #url = '';

  private constructor(options: FakeCrmOptions) {
    this.#clock = options.clock ?? systemClock;
    this.#maxAttachmentBytes = options.maxAttachmentBytes ?? 50 * 1024 * 1024;
    this.faults = new FakeCrmFaults(this.#clock);
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  /** Listens on 127.0.0.1 on a free port. */
  static async start(options: FakeCrmOptions = {}): Promise<FakeCrmServer> {
    const fake = new FakeCrmServer(options);
    await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', resolve));
    fake.#url = `http://127.0.0.1:${(fake.#server.address() as AddressInfo).port}`;
    return fake;
  }

  /** e.g. `http://127.0.0.1:41234` (the API is under `/api/v1`). */
  get url(): string {
    return this.#url;
  }

  createAccount(token: string): FakeCrmAccount {
    const account: FakeCrmAccount = { id: randomUUID(), token, contacts: [], callLogs: [], attachments: [], idempotency: new Map() };
    this.#accounts.set(account.id, account);
    return account;
  }

  /** Replaces the account's token: the old one now gets 401 (revoked credentials). */
  setToken(account: FakeCrmAccount, token: string): void {
    account.token = token;
  }

  /** Stops listening and drops every connection, including requests left hanging on purpose. */
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const key = req.headers['idempotency-key'];
    const record: FakeRequest = { method, path: url.pathname, query: url.search, idempotencyKey: typeof key === 'string' ? key : undefined, status: 'none' };
    this.requests.push(record);
    const send = (reply: Reply): void => {
      record.status = reply.status;
      const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(text);
    };
    try {
      if (url.pathname.startsWith('/_control/')) return send(await this.#control(req, method));
      const fault = this.faults.take(method, `${url.pathname}${url.search}`);
      const body = await readBody(req, url.pathname.endsWith('/attachments') ? this.#maxAttachmentBytes : MAX_JSON_BYTES);
      if (fault && fault.type !== 'lost-response') return this.#fail(fault, send);
      const reply = this.#route(method, url, req, body);
      if (fault?.type === 'lost-response') return;
      send(reply);
    } catch (error) {
      if (error instanceof Refusal) return send(errorReply(error.status, error.code, error.message));
      send(errorReply(500, 'internal', error instanceof Error ? error.message : String(error)));
    }
  }

  #fail(fault: FakeFault, send: (r: Reply) => void): void {
    if (fault.type === 'hang' || fault.type === 'lost-response') return;
    if (fault.type === 'garbage') return send({ status: 200, body: '{"data": {"id": "tru' });
    const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter };
    send({ ...errorReply(fault.status, `status_${fault.status}`, fault.message ?? `failure ${fault.status}`), headers });
  }

  #route(method: string, url: URL, req: IncomingMessage, body: Buffer | 'too-large'): Reply {
    const account = this.#authenticate(req);
    const path = url.pathname;
    if (method === 'GET' && path === '/api/v1/contacts') return { status: 200, body: { data: this.#search(account, url) } };
    if (method === 'POST' && path === '/api/v1/contacts') {
      return this.#idempotent(account, req, `${method} ${path}`, () => this.#createContact(account, json(req, body)));
    }
    const byCall = /^\/api\/v1\/call-logs\/by-call\/([^/]+)$/.exec(path);
    if (method === 'PUT' && byCall) {
      return this.#idempotent(account, req, `${method} ${path}`, () => this.#upsertLog(account, decodeURIComponent(byCall[1]!), json(req, body)));
    }
    const attach = /^\/api\/v1\/call-logs\/([^/]+)\/attachments$/.exec(path);
    if (method === 'POST' && attach) {
      return this.#idempotent(account, req, `${method} ${path}`, () => this.#attach(account, attach[1]!, url, req, body));
    }
    throw new Refusal(404, 'not_found', `no route ${method} ${path}`);
  }

  #authenticate(req: IncomingMessage): FakeCrmAccount {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const account = [...this.#accounts.values()].find((a) => a.token === token);
    if (!account) throw new Refusal(401, 'unauthorized', 'Invalid or revoked API token');
    return account;
  }

  #search(account: FakeCrmAccount, url: URL): FakeContact[] {
    const phone = url.searchParams.get('phone');
    const email = url.searchParams.get('email');
    if (phone !== null) return phoneDigits(phone).length < MIN_PHONE_DIGITS ? [] : account.contacts.filter((c) => samePhone(c.phone, phone));
    if (email !== null) return normalizeEmail(email) === '' ? [] : account.contacts.filter((c) => sameEmail(c.email, email));
    throw new Refusal(400, 'bad_request', 'search needs phone or email');
  }

  /** Writes run once per key; a replay answers the first response (Stripe-style), another request with it is 422. */
  #idempotent(account: FakeCrmAccount, req: IncomingMessage, request: string, write: () => Reply): Reply {
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '') throw new Refusal(400, 'idempotency_key_required', 'Idempotency-Key header is required');
    const seen = account.idempotency.get(key);
    if (seen) {
      if (seen.request !== request) throw new Refusal(422, 'idempotency_key_reused', 'Idempotency-Key was used for another request');
      return { status: seen.status, body: seen.body, headers: { 'idempotent-replayed': 'true' } };
    }
    const reply = write();
    account.idempotency.set(key, { request, status: reply.status, body: JSON.stringify(reply.body) });
    return reply;
  }

  #createContact(account: FakeCrmAccount, input: unknown): Reply {
    const c = parse(contactBody, input);
    const contact: FakeContact = { id: randomUUID(), name: c.name, phone: c.phone, email: c.email, created_at: this.#now() };
    account.contacts.push(contact);
    return { status: 201, body: { data: contact } };
  }

  #upsertLog(account: FakeCrmAccount, callId: string, input: unknown): Reply {
    const fields = parse(callLogBody, input);
    if (fields.contact_id !== null && !account.contacts.some((c) => c.id === fields.contact_id)) {
      throw new Refusal(422, 'invalid', `Contact ${fields.contact_id} does not exist`);
    }
    const existing = account.callLogs.find((l) => l.call_id === callId);
    if (existing) {
      Object.assign(existing, fields, { updated_at: this.#now() });
      return { status: 200, body: { data: existing } };
    }
    const log: FakeCallLog = { id: randomUUID(), call_id: callId, ...fields, updated_at: this.#now() };
    account.callLogs.push(log);
    return { status: 201, body: { data: log } };
  }

  #attach(account: FakeCrmAccount, callLogId: string, url: URL, req: IncomingMessage, body: Buffer | 'too-large'): Reply {
    if (!account.callLogs.some((l) => l.id === callLogId)) throw new Refusal(404, 'not_found', `Call log ${callLogId} not found`);
    if ((req.headers['content-type'] ?? '').split(';')[0] !== 'audio/wav') throw new Refusal(415, 'unsupported', 'Attachments must be audio/wav');
    if (body === 'too-large') throw new Refusal(413, 'too_large', `Attachments are limited to ${this.#maxAttachmentBytes} bytes`);
    const filename = url.searchParams.get('filename') ?? '';
    const part = Number(url.searchParams.get('part'));
    const total = Number(url.searchParams.get('total'));
    if (!/^[\w.-]{1,200}$/.test(filename) || !(part >= 1 && part <= total)) throw new Refusal(422, 'invalid', 'filename, part and total are required');
    const attachment: FakeAttachment = {
      id: randomUUID(), call_log_id: callLogId, filename, content_type: 'audio/wav', size: body.byteLength, part, total, bytes: body,
    };
    account.attachments.push(attachment);
    const { bytes: _bytes, ...metadata } = attachment;
    return { status: 201, body: { data: metadata } };
  }

  async #control(req: IncomingMessage, method: string): Promise<Reply> {
    if (method === 'DELETE') {
      this.faults.clear();
      return { status: 204, body: '' };
    }
    const body = await readBody(req, MAX_JSON_BYTES);
    this.faults.add(parse(faultRule, JSON.parse(body === 'too-large' ? 'null' : body.toString('utf8'))) as FaultRule);
    return { status: 204, body: '' };
  }

  #now(): string {
    return new Date(this.#clock.now()).toISOString();
  }
}

function errorReply(status: number, code: string, message: string): Reply {
  return { status, body: { error: { code, message } } };
}

function json(req: IncomingMessage, body: Buffer | 'too-large'): unknown {
  if (body === 'too-large') throw new Refusal(413, 'too_large', 'JSON bodies are limited to 1 MiB');
  if ((req.headers['content-type'] ?? '').split(';')[0] !== 'application/json') throw new Refusal(415, 'unsupported', 'Send application/json');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new Refusal(400, 'bad_request', 'Body is not JSON');
  }
}

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) throw new Refusal(422, 'invalid', result.error.issues.map((i) => i.message).join('; '));
  return result.data;
}

