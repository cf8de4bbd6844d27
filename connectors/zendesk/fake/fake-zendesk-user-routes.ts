/**
 * Users and search in the fake Zendesk:
 *
 * ```
 * GET  /api/v2/users?role=…&role[]=…&external_id=…  200 {users, meta{has_more, after_cursor, before_cursor}, links{next, prev}}
 *                                                   with page[size] (1–100) and page[after] | page[before]; else offset
 *                                                   pages {users, next_page, previous_page, count}; 400 bad page[size]
 * GET  /api/v2/users/{id}                         200 {user}                         404 RecordNotFound
 * POST /api/v2/users/create_or_update  {user}     201 {user} created | 200 {user} updated (matched by external_id, else e-mail)
 * GET  /api/v2/users/{id}/tickets/requested       200 {tickets, next_page, previous_page, count}  (sort_by, sort_order, page, per_page)
 * GET  /api/v2/search?query=…                     200 {results, facets, next_page, previous_page, count}  (users only)
 * ```
 * (`GET /api/v2/users/me` is answered by the server itself: it is the one endpoint that answers an
 * unauthenticated request, with the anonymous user.)
 *
 * List Users (developer.zendesk.com/api-reference/ticketing/users/users/#list-users) filters by `role` (one of
 * `end-user`, `agent`, `admin`) and `role[]` (several, `role[]=agent&role[]=admin`); a value that is no role matches
 * nobody. Suspended users are listed, with `suspended: true`, as Zendesk does. Cursor pagination follows the
 * introduction's "Pagination": users in id order, opaque cursors, `has_more` in the direction of travel, and
 * absolute `links` that keep the request's filters; a page that is not empty always carries both links, so a
 * client has to stop on `has_more`, as the documentation says.
 */
import { idParam, type FakeZendeskContext, type Route } from './fake-zendesk-context.js';
import { jsonBody, objectParam, paginate, ZendeskRefusal, type Reply } from './fake-zendesk-http.js';
import { matchesUser, parseQuery } from './fake-zendesk-search.js';
import type { FakeZendeskRole, FakeZendeskTicket, FakeZendeskUser } from './fake-zendesk-store.js';

const MAX_JSON_BYTES = 1024 * 1024;
const EMAIL = /^[^\s@"<>()[\],;:\\]+@[^\s@"'<>()[\],;:\\]+\.[^\s@"'<>()[\],;:\\]+$/;
const ROLES: readonly FakeZendeskRole[] = ['end-user', 'agent', 'admin'];

export const userRoutes: readonly Route[] = [
  { method: 'GET', pattern: /^\/users$/, handle: (ctx, r) => listUsers(ctx, r.url) },
  { method: 'GET', pattern: /^\/users\/([^/]+)$/, handle: (ctx, _r, [id]) => ({ status: 200, body: { user: ctx.json.user(userOr404(ctx, id)) } }) },
  { method: 'POST', pattern: /^\/users\/create_or_update$/, handle: (ctx, r) => createOrUpdate(ctx, objectParam(jsonBody(r.req, r.body, MAX_JSON_BYTES), 'user')) },
  {
    method: 'GET',
    pattern: /^\/users\/([^/]+)\/tickets\/requested$/,
    handle: (ctx, r, [id]) => {
      const user = userOr404(ctx, id);
      const tickets = sortTickets(ctx.store.tickets.filter((t) => t.requester_id === user.id), r.url);
      const page = paginate(tickets, r.url, ctx.base);
      return { status: 200, body: { tickets: page.items.map((t) => ctx.json.ticket(t)), next_page: page.next_page, previous_page: page.previous_page, count: page.count } };
    },
  },
  { method: 'GET', pattern: /^\/search$/, handle: (ctx, r) => search(ctx, r.url) },
];

function userOr404(ctx: FakeZendeskContext, id: string | undefined): FakeZendeskUser {
  const userId = idParam(id);
  const user = userId === null ? undefined : ctx.store.user(userId);
  if (!user) throw ZendeskRefusal.notFound();
  return user;
}

function createOrUpdate(ctx: FakeZendeskContext, input: Record<string, unknown>): Reply {
  const fields = userFields(input);
  const byExternalId = fields.external_id ? ctx.store.users.find((u) => u.external_id === fields.external_id) : undefined;
  const byEmail = fields.email ? ctx.store.users.find((u) => u.email?.toLowerCase() === fields.email!.toLowerCase()) : undefined;
  const existing = byExternalId ?? byEmail;
  if (existing) {
    const clash = fields.email ? ctx.store.users.find((u) => u !== existing && u.email?.toLowerCase() === fields.email!.toLowerCase()) : undefined;
    if (clash) throw ZendeskRefusal.invalid({ email: [`Email: ${fields.email} is already being used by another user`] }, 'DuplicateValue');
    if (fields.name !== undefined && fields.name.trim() === '') throw ZendeskRefusal.invalid({ name: ['Name: is too short (minimum is 1 character)'] });
    Object.assign(existing, definedOnly(fields), { updated_at: ctx.now() });
    refreshSharedPhones(ctx);
    return { status: 200, body: { user: ctx.json.user(existing) } };
  }
  if (fields.name === undefined || fields.name.trim() === '') throw ZendeskRefusal.invalid({ name: ['Name: is too short (minimum is 1 character)'] });
  const user: FakeZendeskUser = {
    id: ctx.store.userId(),
    name: fields.name.trim(),
    email: fields.email ?? null,
    phone: fields.phone ?? null,
    role: fields.role ?? 'end-user',
    external_id: fields.external_id ?? null,
    shared_phone_number: false,
    created_at: ctx.now(),
    updated_at: ctx.now(),
  };
  ctx.store.users.push(user);
  refreshSharedPhones(ctx);
  return { status: 201, body: { user: ctx.json.user(user) } };
}

interface UserFields {
  name?: string;
  email?: string | null;
  phone?: string | null;
  role?: FakeZendeskRole;
  external_id?: string | null;
  suspended?: boolean;
}

/** The writable fields of a user object, validated as Zendesk does (422 RecordInvalid per field). */
function userFields(input: Record<string, unknown>): UserFields {
  const errors: Record<string, string[]> = {};
  const out: UserFields = {};
  const str = (key: string): string | null | undefined => {
    const v = input[key];
    if (v === undefined) return undefined;
    if (v === null) return null;
    if (typeof v !== 'string') {
      (errors[key] ??= []).push(`${label(key)}: is invalid`);
      return undefined;
    }
    return v;
  };
  const name = str('name');
  if (name !== undefined && name !== null) {
    if (name.length > 255) (errors['name'] ??= []).push('Name: is too long (maximum is 255 characters)');
    out.name = name;
  }
  const email = str('email');
  if (email !== undefined) {
    const trimmed = email?.trim() ?? '';
    if (trimmed !== '' && !EMAIL.test(trimmed)) (errors['email'] ??= []).push(`Email: ${trimmed} is not properly formatted`);
    out.email = trimmed === '' ? null : trimmed;
  }
  const phone = str('phone');
  if (phone !== undefined) {
    const trimmed = phone?.trim() ?? '';
    if (trimmed.length > 50) (errors['phone'] ??= []).push('Phone: is too long (maximum is 50 characters)');
    out.phone = trimmed === '' ? null : trimmed;
  }
  const role = str('role');
  if (role !== undefined && role !== null) {
    if (!(ROLES as readonly string[]).includes(role)) (errors['role'] ??= []).push(`Role: ${role} is not a valid role`);
    else out.role = role as FakeZendeskRole;
  }
  const suspended = input['suspended'];
  if (suspended !== undefined) {
    if (typeof suspended !== 'boolean') (errors['suspended'] ??= []).push('Suspended: is invalid');
    else out.suspended = suspended;
  }
  const externalId = input['external_id'];
  if (externalId !== undefined) out.external_id = externalId === null ? null : String(externalId);
  if (Object.keys(errors).length > 0) throw ZendeskRefusal.invalid(errors);
  return out;
}

function label(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1).replace(/_/g, ' ');
}

function definedOnly(fields: UserFields): Partial<FakeZendeskUser> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<FakeZendeskUser>;
}

/** A number on more than one user is shared (no direct line); Zendesk keeps the flag on each profile. */
function refreshSharedPhones(ctx: FakeZendeskContext): void {
  const digits = (p: string | null): string => (p ?? '').replace(/\D/g, '');
  for (const user of ctx.store.users) {
    user.shared_phone_number = user.phone !== null && ctx.store.users.some((o) => o !== user && o.phone !== null && digits(o.phone) === digits(user.phone));
  }
}

function search(ctx: FakeZendeskContext, url: URL): Reply {
  const query = url.searchParams.get('query') ?? '';
  if (query.trim() === '') throw ZendeskRefusal.badRequest('InvalidQuery', 'The query parameter is required');
  const terms = parseQuery(query);
  const found = ctx.store.users.filter((u) => matchesUser(u, terms));
  const sortBy = url.searchParams.get('sort_by');
  if (sortBy === 'created_at' || sortBy === 'updated_at') found.sort((a, b) => a[sortBy].localeCompare(b[sortBy]) || a.id - b.id);
  if (url.searchParams.get('sort_order') === 'desc') found.reverse();
  const page = paginate(found, url, ctx.base);
  return {
    status: 200,
    body: {
      results: page.items.map((u) => ({ ...ctx.json.user(u), result_type: 'user' })),
      facets: null,
      next_page: page.next_page,
      previous_page: page.previous_page,
      count: page.count,
    },
  };
}

const TICKET_SORTS = new Set(['created_at', 'updated_at', 'id', 'status', 'subject']);

/** `sort_by` (default `id`) and `sort_order` (`asc` default, or `desc`). */
export function sortTickets(tickets: FakeZendeskTicket[], url: URL): FakeZendeskTicket[] {
  const by = url.searchParams.get('sort_by') ?? 'id';
  const key = TICKET_SORTS.has(by) ? (by as 'created_at' | 'updated_at' | 'id' | 'status' | 'subject') : 'id';
  const sorted = [...tickets].sort((a, b) => {
    const x = a[key] ?? '';
    const y = b[key] ?? '';
    return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) || a.id - b.id;
  });
  return url.searchParams.get('sort_order') === 'desc' ? sorted.reverse() : sorted;
}

/** List Users: the role and external id filters, then cursor pages when `page[size]` is given, else offset pages. */
function listUsers(ctx: FakeZendeskContext, url: URL): Reply {
  const roles = [...url.searchParams.getAll('role'), ...url.searchParams.getAll('role[]')];
  const externalId = url.searchParams.get('external_id');
  const users = ctx.store.users
    .filter((u) => roles.length === 0 || roles.includes(u.role))
    .filter((u) => externalId === null || u.external_id?.toLowerCase() === externalId.toLowerCase())
    .sort((a, b) => a.id - b.id);
  if (!url.searchParams.has('page[size]')) {
    const page = paginate(users, url, ctx.base);
    return { status: 200, body: { users: page.items.map((u) => ctx.json.user(u)), next_page: page.next_page, previous_page: page.previous_page, count: page.count } };
  }
  const size = pageSize(url.searchParams.get('page[size]')!);
  const after = url.searchParams.get('page[after]');
  const before = url.searchParams.get('page[before]');
  if (after !== null && before !== null) throw invalidPageParameter('page.before', 'page.after and page.before cannot be used together');
  let items: FakeZendeskUser[];
  let hasMore: boolean;
  if (before !== null) {
    const earlier = users.filter((u) => u.id < cursorId('before', before));
    items = earlier.slice(Math.max(0, earlier.length - size));
    hasMore = earlier.length > size;
  } else {
    const later = after === null ? users : users.filter((u) => u.id > cursorId('after', after));
    items = later.slice(0, size);
    hasMore = later.length > size;
  }
  const first = items[0];
  const last = items.at(-1);
  const link = (key: 'after' | 'before', user: FakeZendeskUser | undefined): string | null => {
    if (user === undefined) return null;
    const next = new URL(`${url.pathname}${url.search}`, ctx.base);
    next.searchParams.delete('page[after]');
    next.searchParams.delete('page[before]');
    next.searchParams.set(`page[${key}]`, cursorOf(user));
    return next.toString();
  };
  return {
    status: 200,
    body: {
      users: items.map((u) => ctx.json.user(u)),
      meta: { has_more: hasMore, after_cursor: last ? cursorOf(last) : null, before_cursor: first ? cursorOf(first) : null },
      links: { next: link('after', last), prev: link('before', first) },
    },
  };
}

/** `page[size]`: an integer from 1 to 100, else 400 "Invalid attribute" as Zendesk answers it. */
function pageSize(value: string): number {
  if (!/^\d{1,9}$/.test(value.trim())) throw invalidPageParameter('page.size', 'page.size must be an integer');
  const size = Number(value.trim());
  if (size < 1 || size > 100) throw invalidPageParameter('page.size', 'page.size must be an integer from 1 to 100');
  return size;
}

/** A cursor is opaque to clients: base64url JSON naming the order and the user's id there. */
function cursorOf(user: FakeZendeskUser): string {
  return Buffer.from(JSON.stringify({ o: 'id', v: user.id }), 'utf8').toString('base64url');
}

function cursorId(key: 'after' | 'before', cursor: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown; v?: unknown };
    if (parsed.o === 'id' && typeof parsed.v === 'number' && Number.isSafeInteger(parsed.v)) return parsed.v;
  } catch {
    // not a cursor this fake issued
  }
  throw invalidPageParameter(`page.${key}`, `page.${key} is not a valid cursor`);
}

/** The body of Zendesk's 400 for a pagination parameter it cannot use (seen as `{"error":{"title","message"}}`). */
function invalidPageParameter(attribute: string, why: string): ZendeskRefusal {
  return new ZendeskRefusal({
    status: 400,
    body: { error: { title: 'Invalid attribute', message: `You passed an invalid value for the ${attribute} attribute. Invalid parameter: ${why} from api/v2/users/index` } },
  });
}
