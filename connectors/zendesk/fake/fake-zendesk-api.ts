/**
 * A fake Zendesk Support + Talk Partner Edition API over real HTTP, faithful to the documented request and
 * response shapes of everything the Zendesk connector uses — users (`create_or_update`, show, `me`), search (the
 * query subset in `fake-zendesk-search.ts`, offset pagination), tickets (list by `external_id`, show, update with
 * `comment` / `voice_comment` / `uploads` / tags, requested by a user), ticket comments, uploads and attachments
 * (with a `content_url` that serves the bytes back), the voice ticket endpoint and both display endpoints — and to
 * Zendesk's error bodies (401 `Couldn't authenticate you`, 404 `RecordNotFound`, 422 `RecordInvalid` with
 * `details`, 429 with `Retry-After`, 413).
 *
 * Every request is authenticated — HTTP Basic `{email}/token:{api token}` or `Bearer {oauth token}` — except the
 * attachment content URLs, which Zendesk serves to whoever has the link. `GET /api/v2/users/me` answers an
 * unauthenticated request 200 with the anonymous user (`id: null`) rather than 401, as Zendesk does.
 *
 * ```ts
 * const zendesk = await FakeZendesk.start({ apiToken: 't0ken', email: 'admin@acme.test' });
 * const agent = zendesk.seedAgent({ name: 'Alice', email: 'alice@acme.test' });
 * zendesk.failNext({ kind: 'rate-limited', retryAfterSec: 7 });   // any CrmFailure
 * zendesk.revokeToken();                                           // every later request: 401
 * zendesk.tickets(); zendesk.comments(id); zendesk.attachments(id); zendesk.displays(); zendesk.requests();
 * await zendesk.close();
 * ```
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { systemClock, type Clock } from '../../../bridge-server/src/clock.js';
import type { CrmFailure } from '../../../bridge-server/src/crm/crm-failure.js';
import { FakeCrmFaults, faultFor, type FakeFault } from '../../../bridge-server/src/crm/fake-crm-faults.js';
import type { FakeZendeskContext, Route } from './fake-zendesk-context.js';
import { readBody } from '../../../bridge-server/src/crm/fake-http-body.js';
import { ZendeskRefusal, type Reply } from './fake-zendesk-http.js';
import {
  FakeZendeskJson,
  FakeZendeskStore,
  type FakeTicketStatus,
  type FakeZendeskAttachment,
  type FakeZendeskComment,
  type FakeZendeskDisplay,
  type FakeZendeskTicket,
  type FakeZendeskUser,
} from './fake-zendesk-store.js';
import { talkRoutes } from './fake-zendesk-talk-routes.js';
import { ticketRoutes } from './fake-zendesk-ticket-routes.js';
import { uploadRoutes } from './fake-zendesk-upload-routes.js';
import { userRoutes } from './fake-zendesk-user-routes.js';

export type { FakeZendeskAttachment, FakeZendeskComment, FakeZendeskDisplay, FakeZendeskTicket, FakeZendeskUser } from './fake-zendesk-store.js';

export interface FakeZendeskOptions {
  /** The API token of the integration user (`{email}/token:{apiToken}`). */
  readonly apiToken: string;
  /** The integration user's e-mail: an admin the fake creates, whom `users/me` returns. */
  readonly email: string;
  /** An OAuth access token accepted as `Bearer`; none by default. */
  readonly oauthToken?: string;
  /** The account's subdomain, for show (default `sambung-test`). */
  readonly subdomain?: string;
  /** Uploads above this answer 413 (default 50 MiB, Zendesk's documented attachment limit). */
  readonly maxAttachmentBytes?: number;
  readonly clock?: Clock;
}

/** One request as the fake saw it, for tests (never the Authorization header). */
export interface FakeZendeskRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** The JSON body the request sent, if it sent one. */
  json?: unknown;
  /** The status answered, or `none` when the fake never answered (a timeout or lost-response fault). */
  status: number | 'none';
}

/** An attachment as a test reads it: metadata, the comment it is on, and the bytes. */
export interface FakeZendeskAttachmentView {
  readonly id: number;
  readonly commentId: number;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  readonly contentUrl: string;
  readonly bytes: Buffer;
}

const MAX_JSON_BYTES = 1024 * 1024;
const ROUTES: readonly Route[] = [...userRoutes, ...ticketRoutes, ...talkRoutes, ...uploadRoutes];

export class FakeZendesk {
  readonly subdomain: string;
  /** The failure schedule (`failNext` adds to it; tests may add timed or path-matched rules directly). */
  readonly faults: FakeCrmFaults;
  readonly #server: Server;
  readonly #store = new FakeZendeskStore();
  readonly #json: FakeZendeskJson;
  readonly #ctx: FakeZendeskContext;
  readonly #clock: Clock;
  readonly #maxAttachmentBytes: number;
  readonly #requests: FakeZendeskRequest[] = [];
  readonly #me: FakeZendeskUser;
  #apiToken: string;
  #oauthToken: string | undefined;
  #revoked = false;
  #url = '';
  #closed = false;

  private constructor(options: FakeZendeskOptions) {
    this.subdomain = options.subdomain ?? 'sambung-test';
    this.#clock = options.clock ?? systemClock;
    this.#maxAttachmentBytes = options.maxAttachmentBytes ?? 50 * 1024 * 1024;
    this.#apiToken = options.apiToken;
    this.#oauthToken = options.oauthToken;
    this.faults = new FakeCrmFaults(this.#clock);
    this.#json = new FakeZendeskJson(this.#store, () => this.#url);
    this.#me = this.#addUser({ name: 'Sambung Integration', email: options.email, role: 'admin' });
    const self = this;
    this.#ctx = {
      store: this.#store,
      json: this.#json,
      me: this.#me,
      get base() {
        return self.#url;
      },
      maxAttachmentBytes: this.#maxAttachmentBytes,
      now: () => new Date(this.#clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      nowMs: () => this.#clock.now(),
    };
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  /** Listens on 127.0.0.1 on a free port. */
  static async start(options: FakeZendeskOptions): Promise<FakeZendesk> {
    const fake = new FakeZendesk(options);
    await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', resolve));
    fake.#url = `http://127.0.0.1:${(fake.#server.address() as AddressInfo).port}`;
    return fake;
  }

  /** The account's origin (`http://127.0.0.1:<port>`): what `apiBase(account)` returns in tests. */
  get url(): string {
    return this.#url;
  }

  /** The admin the credentials belong to. */
  get apiUser(): FakeZendeskUser {
    return { ...this.#me };
  }

  /** The next request (or the next whose `METHOD /path?query` contains `match`) fails as `failure` describes. */
  failNext(failure: CrmFailure, match?: string): void {
    this.faults.add({ fault: faultFor(failure), ...(match === undefined ? {} : { match }) });
  }

  /** Revokes the credentials: every later request is 401 (and `users/me` the anonymous user). */
  revokeToken(): void {
    this.#revoked = true;
  }

  /** New credentials ("reconnect Zendesk"): they work, and a revocation is lifted. */
  setCredentials(credentials: { apiToken?: string; oauthToken?: string }): void {
    if (credentials.apiToken !== undefined) this.#apiToken = credentials.apiToken;
    if (credentials.oauthToken !== undefined) this.#oauthToken = credentials.oauthToken;
    this.#revoked = false;
  }

  seedAgent(agent: { name: string; email: string; role?: 'agent' | 'admin' }): FakeZendeskUser {
    return { ...this.#addUser({ name: agent.name, email: agent.email, role: agent.role ?? 'agent' }) };
  }

  seedEndUser(user: { name: string; email?: string | null; phone?: string | null; externalId?: string | null }): FakeZendeskUser {
    const seeded = this.#addUser({ name: user.name, email: user.email ?? null, phone: user.phone ?? null, externalId: user.externalId ?? null, role: 'end-user' });
    return { ...seeded };
  }

  /** A ticket requested by `requesterId` with a public first comment, as if the end user had written in. */
  seedTicket(ticket: { requesterId: number; subject: string; status?: FakeTicketStatus; externalId?: string }): FakeZendeskTicket {
    const now = this.#ctx.now();
    const created: FakeZendeskTicket = {
      id: this.#store.ticketId(),
      external_id: ticket.externalId ?? null,
      subject: ticket.subject,
      description: ticket.subject,
      status: ticket.status ?? 'open',
      requester_id: ticket.requesterId,
      submitter_id: ticket.requesterId,
      assignee_id: null,
      tags: [],
      via: { channel: 'web', rel: null, from: null, to: null },
      created_at: now,
      updated_at: now,
    };
    this.#store.tickets.push(created);
    this.#store.comments.push({
      id: this.#store.commentId(), ticket_id: created.id, type: 'Comment', author_id: ticket.requesterId, body: ticket.subject,
      public: true, attachment_ids: [], audit_id: this.#store.auditId(), created_at: now, data: null,
    });
    return { ...created };
  }

  // --- what the account holds, for tests ---

  users(): FakeZendeskUser[] {
    return this.#store.users.map((u) => ({ ...u }));
  }

  endUsers(): FakeZendeskUser[] {
    return this.users().filter((u) => u.role === 'end-user');
  }

  tickets(): FakeZendeskTicket[] {
    return this.#store.tickets.map((t) => ({ ...t, tags: [...t.tags], via: { ...t.via } }));
  }

  ticket(id: number | string): FakeZendeskTicket | undefined {
    return this.tickets().find((t) => t.id === Number(id));
  }

  /** The ticket's comments, oldest first (voice comments with their `data`). */
  comments(ticketId: number | string): FakeZendeskComment[] {
    return this.#store.ticketComments(Number(ticketId)).map((c) => ({ ...c, attachment_ids: [...c.attachment_ids], data: c.data && { ...c.data } }));
  }

  /** The files attached to the ticket's comments, in the order the comments were added. */
  attachments(ticketId: number | string): FakeZendeskAttachmentView[] {
    return this.#store.ticketComments(Number(ticketId)).flatMap((c) =>
      c.attachment_ids.map((id) => {
        const a = this.#store.attachment(id)!;
        return { id: a.id, commentId: c.id, fileName: a.file_name, contentType: a.content_type, size: a.size, contentUrl: String(this.#json.attachment(a)['content_url']), bytes: Buffer.from(a.bytes) };
      }),
    );
  }

  /** Every successful display request: which agent was shown which user or ticket. */
  displays(): FakeZendeskDisplay[] {
    return this.#store.displays.map((d) => ({ ...d }));
  }

  requests(): FakeZendeskRequest[] {
    return this.#requests.map((r) => ({ ...r, json: structuredClone(r.json) }));
  }

  /** Stops listening and drops every connection, including requests left hanging on purpose. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  // --- internals ---

  #addUser(u: { name: string; email: string | null; role: FakeZendeskUser['role']; phone?: string | null; externalId?: string | null }): FakeZendeskUser {
    const now = new Date(this.#clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const user: FakeZendeskUser = {
      id: this.#store.userId(), name: u.name, email: u.email, phone: u.phone ?? null, role: u.role, external_id: u.externalId ?? null,
      shared_phone_number: false, created_at: now, updated_at: now,
    };
    this.#store.users.push(user);
    return user;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const method = req.method ?? 'GET';
    const record: FakeZendeskRequest = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), status: 'none' };
    this.#requests.push(record);
    const send = (reply: Reply): void => {
      record.status = reply.status;
      const raw = Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body), 'utf8');
      res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(raw.byteLength), ...reply.headers }).end(raw);
    };
    let fault: FakeFault | undefined;
    try {
      const content = /^\/attachments\/token\/([^/]+)\/?$/.exec(url.pathname);
      if (method === 'GET' && content) return send(this.#content(content[1]!));
      fault = this.faults.take(method, `${url.pathname}${url.search}`);
      const isUpload = /^\/api\/v2\/uploads(\.json)?$/.test(url.pathname);
      const body = await readBody(req, isUpload ? this.#maxAttachmentBytes : MAX_JSON_BYTES);
      if (!isUpload && body !== 'too-large' && body.byteLength > 0) record.json = parseOrUndefined(body);
      if (fault && fault.type !== 'lost-response') return this.#fail(fault, send);
      const reply = this.#route(method, url, req, body);
      if (fault?.type === 'lost-response') return; // the write happened; the answer never comes
      send(reply);
    } catch (error) {
      if (fault?.type === 'lost-response') return;
      send(error instanceof ZendeskRefusal ? error.reply : ZendeskRefusal.serverError().reply);
    }
  }

  #route(method: string, url: URL, req: IncomingMessage, body: Buffer | 'too-large'): Reply {
    if (!url.pathname.startsWith('/api/v2/')) throw ZendeskRefusal.invalidEndpoint();
    const path = url.pathname.slice('/api/v2'.length).replace(/\.json$/, '');
    const authenticated = this.#authenticated(req);
    if (method === 'GET' && path === '/users/me') {
      return { status: 200, body: { user: authenticated ? this.#json.user(this.#me) : this.#json.anonymousUser() } };
    }
    if (!authenticated) throw ZendeskRefusal.unauthenticated();
    for (const route of ROUTES) {
      if (route.method !== method) continue;
      const match = route.pattern.exec(path);
      if (match) return route.handle(this.#ctx, { method, url, req, body }, match.slice(1));
    }
    throw ZendeskRefusal.invalidEndpoint();
  }

  #authenticated(req: IncomingMessage): boolean {
    if (this.#revoked) return false;
    const header = req.headers.authorization ?? '';
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const at = decoded.indexOf('/token:');
      if (at <= 0) return false;
      return decoded.slice(0, at).toLowerCase() === (this.#me.email ?? '').toLowerCase() && same(decoded.slice(at + '/token:'.length), this.#apiToken);
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(header);
    return bearer !== null && this.#oauthToken !== undefined && same(bearer[1]!, this.#oauthToken);
  }

  #content(token: string): Reply {
    const attachment: FakeZendeskAttachment | undefined = this.#store.attachments.find((a) => a.content_token === token);
    if (!attachment) throw ZendeskRefusal.notFound();
    return {
      status: 200,
      body: attachment.bytes,
      headers: { 'content-type': attachment.content_type, 'content-disposition': `attachment; filename="${attachment.file_name.replace(/["\\\r\n]/g, '_')}"` },
    };
  }

  #fail(fault: FakeFault, send: (reply: Reply) => void): void {
    if (fault.type === 'hang' || fault.type === 'lost-response') return;
    if (fault.type === 'garbage') {
      return send({ status: 200, body: '<!DOCTYPE html><html><body><h1>Zendesk is down for maintenance</h1></body></html>', headers: { 'content-type': 'text/html' } });
    }
    const refusal =
      fault.status === 401 ? ZendeskRefusal.unauthenticated()
      : fault.status === 403 ? ZendeskRefusal.forbidden()
      : fault.status === 404 ? ZendeskRefusal.notFound()
      : fault.status === 413 ? ZendeskRefusal.tooLarge(this.#maxAttachmentBytes)
      : fault.status === 422 ? ZendeskRefusal.invalid({ base: [fault.message ?? 'is invalid'] })
      : fault.status === 429 ? ZendeskRefusal.rateLimited(fault.retryAfter ?? '60')
      : fault.status >= 500 ? ZendeskRefusal.serverError(fault.status)
      : new ZendeskRefusal({ status: fault.status, body: { error: fault.message ?? `failure ${fault.status}` } });
    const retryAfter: Record<string, string> = fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter };
    send({ ...refusal.reply, headers: { ...refusal.reply.headers, ...retryAfter } });
  }
}

function parseOrUndefined(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.byteLength === y.byteLength && timingSafeEqual(x, y);
}
