/**
 * Users and search in the fake Zendesk:
 *
 * ```
 * GET  /api/v2/users/{id}                         200 {user}                         404 RecordNotFound
 * POST /api/v2/users/create_or_update  {user}     201 {user} created | 200 {user} updated (matched by external_id, else e-mail)
 * GET  /api/v2/users/{id}/tickets/requested       200 {tickets, next_page, previous_page, count}  (sort_by, sort_order, page, per_page)
 * GET  /api/v2/search?query=…                     200 {results, facets, next_page, previous_page, count}  (users only)
 * ```
 * (`GET /api/v2/users/me` is answered by the server itself: it is the one endpoint that answers an
 * unauthenticated request, with the anonymous user.)
 */
import { idParam, type FakeZendeskContext, type Route } from './fake-zendesk-context.js';
import { jsonBody, objectParam, paginate, ZendeskRefusal, type Reply } from './fake-zendesk-http.js';
import { matchesUser, parseQuery } from './fake-zendesk-search.js';
import type { FakeZendeskRole, FakeZendeskTicket, FakeZendeskUser } from './fake-zendesk-store.js';

const MAX_JSON_BYTES = 1024 * 1024;
const EMAIL = /^[^\s@"<>()[\],;:\\]+@[^\s@"'<>()[\],;:\\]+\.[^\s@"'<>()[\],;:\\]+$/;
const ROLES: readonly FakeZendeskRole[] = ['end-user', 'agent', 'admin'];

export const userRoutes: readonly Route[] = [
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
