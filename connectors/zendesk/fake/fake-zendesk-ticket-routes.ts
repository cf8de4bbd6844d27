/**
 * Tickets and their comments in the fake Zendesk:
 *
 * ```
 * GET /api/v2/tickets?external_id=…            200 {tickets, next_page, previous_page, count}
 * GET /api/v2/tickets/{id}                     200 {ticket}                      404 RecordNotFound
 * PUT /api/v2/tickets/{id}  {ticket: {comment?, voice_comment?, tags?, additional_tags?, remove_tags?,
 *                                     status?, subject?, requester_id?, external_id?}}
 *                                              200 {ticket, audit: {id, events: [Comment|VoiceComment, Change …]}}
 * GET /api/v2/tickets/{id}/comments            200 {comments, next_page, previous_page, count}  (sort_order, page, per_page)
 * ```
 * Everything in one update is checked before anything changes, so a refused update leaves the ticket as it was.
 */
import { addComment, claimableUploads, commentInput, MAX_COMMENTS, voiceInput, type CommentInput } from './fake-zendesk-comments.js';
import { idParam, type FakeZendeskContext, type Route } from './fake-zendesk-context.js';
import { jsonBody, objectParam, paginate, ZendeskRefusal, type Reply } from './fake-zendesk-http.js';
import { normalizeTags, type FakeTicketStatus, type FakeVoiceData, type FakeZendeskTicket } from './fake-zendesk-store.js';
import { sortTickets } from './fake-zendesk-user-routes.js';

const MAX_JSON_BYTES = 1024 * 1024;
const STATUSES: readonly FakeTicketStatus[] = ['new', 'open', 'pending', 'hold', 'solved', 'closed'];

export const ticketRoutes: readonly Route[] = [
  {
    method: 'GET',
    pattern: /^\/tickets$/,
    handle: (ctx, r) => {
      const externalId = r.url.searchParams.get('external_id');
      const tickets = sortTickets(externalId === null ? ctx.store.tickets : ctx.store.tickets.filter((t) => t.external_id === externalId), r.url);
      const page = paginate(tickets, r.url, ctx.base);
      return { status: 200, body: { tickets: page.items.map((t) => ctx.json.ticket(t)), next_page: page.next_page, previous_page: page.previous_page, count: page.count } };
    },
  },
  { method: 'GET', pattern: /^\/tickets\/([^/]+)$/, handle: (ctx, _r, [id]) => ({ status: 200, body: { ticket: ctx.json.ticket(ticketOr404(ctx, id)) } }) },
  { method: 'PUT', pattern: /^\/tickets\/([^/]+)$/, handle: (ctx, r, [id]) => updateTicket(ctx, ticketOr404(ctx, id), objectParam(jsonBody(r.req, r.body, MAX_JSON_BYTES), 'ticket')) },
  {
    method: 'GET',
    pattern: /^\/tickets\/([^/]+)\/comments$/,
    handle: (ctx, r, [id]) => {
      const comments = ctx.store.ticketComments(ticketOr404(ctx, id).id);
      if (r.url.searchParams.get('sort_order') === 'desc') comments.reverse();
      const page = paginate(comments, r.url, ctx.base);
      return { status: 200, body: { comments: page.items.map((c) => ctx.json.comment(c)), next_page: page.next_page, previous_page: page.previous_page, count: page.count } };
    },
  },
];

export function ticketOr404(ctx: FakeZendeskContext, id: string | undefined): FakeZendeskTicket {
  const ticketId = idParam(id);
  const ticket = ticketId === null ? undefined : ctx.store.ticket(ticketId);
  if (!ticket) throw ZendeskRefusal.notFound();
  return ticket;
}

/** The checked changes of one ticket create or update. */
export interface TicketChanges {
  comment?: CommentInput;
  voice?: FakeVoiceData;
  tags?: string[];
  status?: FakeTicketStatus;
  subject?: string;
  requesterId?: number;
  externalId?: string | null;
}

/** Reads and checks the writable fields of `input` (422 RecordInvalid for the first bad one). */
export function ticketChanges(ctx: FakeZendeskContext, input: Record<string, unknown>, ticket: FakeZendeskTicket | null): TicketChanges {
  const current = ticket?.tags ?? [];
  const changes: TicketChanges = {};
  if (input['comment'] !== undefined) {
    changes.comment = commentInput(input['comment']);
    claimableUploads(ctx, changes.comment.uploads);
  }
  if (input['voice_comment'] !== undefined) changes.voice = voiceInput(ctx, input['voice_comment']);
  const adding = (changes.comment ? 1 : 0) + (changes.voice ? 1 : 0);
  if (ticket !== null && ctx.store.ticketComments(ticket.id).length + adding > MAX_COMMENTS) {
    throw ZendeskRefusal.invalid({ base: [`A ticket can have at most ${MAX_COMMENTS} comments`] });
  }
  const list = (key: string): string[] | undefined => {
    const value = input[key];
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) throw ZendeskRefusal.invalid({ [key]: [`${key}: must be a list of tags`] });
    return normalizeTags(value);
  };
  const replaced = list('tags');
  const added = list('additional_tags');
  const removed = list('remove_tags');
  if (replaced !== undefined || added !== undefined || removed !== undefined) {
    const base = replaced ?? [...current];
    changes.tags = normalizeTags([...base, ...(added ?? [])]).filter((t) => !(removed ?? []).includes(t));
  }
  const status = input['status'];
  if (status !== undefined) {
    if (typeof status !== 'string' || !(STATUSES as readonly string[]).includes(status)) throw ZendeskRefusal.invalid({ status: [`Status: ${String(status)} is not valid`] });
    changes.status = status as FakeTicketStatus;
  }
  if (input['subject'] !== undefined) {
    if (typeof input['subject'] !== 'string') throw ZendeskRefusal.invalid({ subject: ['Subject: is invalid'] });
    changes.subject = input['subject'].slice(0, 255);
  }
  if (input['requester_id'] !== undefined) {
    const requester = typeof input['requester_id'] === 'number' ? ctx.store.user(input['requester_id']) : undefined;
    if (!requester) throw ZendeskRefusal.invalid({ requester_id: ['Requester: is invalid'] });
    changes.requesterId = requester.id;
  }
  if (input['external_id'] !== undefined) changes.externalId = input['external_id'] === null ? null : String(input['external_id']);
  return changes;
}

/** Applies checked changes under one audit; returns the audit's events (comments first, then field changes). */
export function applyChanges(ctx: FakeZendeskContext, ticket: FakeZendeskTicket, changes: TicketChanges, auditId: number): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  if (changes.voice) events.push(ctx.json.comment(addComment(ctx, ticket, auditId, { kind: 'voice', data: changes.voice })));
  if (changes.comment) events.push(ctx.json.comment(addComment(ctx, ticket, auditId, { kind: 'comment', comment: changes.comment })));
  const change = (field: string, value: unknown, previous: unknown): void => {
    if (JSON.stringify(value) !== JSON.stringify(previous)) events.push({ id: ctx.store.auditId(), type: 'Change', field_name: field, value, previous_value: previous });
  };
  if (changes.tags) {
    change('tags', changes.tags, ticket.tags);
    ticket.tags = changes.tags;
  }
  if (changes.status) {
    change('status', changes.status, ticket.status);
    ticket.status = changes.status;
  }
  if (changes.subject !== undefined) {
    change('subject', changes.subject, ticket.subject);
    ticket.subject = changes.subject;
  }
  if (changes.requesterId !== undefined) {
    change('requester_id', changes.requesterId, ticket.requester_id);
    ticket.requester_id = changes.requesterId;
  }
  if (changes.externalId !== undefined) ticket.external_id = changes.externalId;
  ticket.updated_at = ctx.now();
  return events;
}

function updateTicket(ctx: FakeZendeskContext, ticket: FakeZendeskTicket, input: Record<string, unknown>): Reply {
  if (ticket.status === 'closed') throw ZendeskRefusal.invalid({ status: ['Status: closed prevents ticket update'] }, 'ClosedPreventsUpdate');
  const changes = ticketChanges(ctx, input, ticket);
  const auditId = ctx.store.auditId();
  const events = applyChanges(ctx, ticket, changes, auditId);
  const audit = {
    id: auditId,
    ticket_id: ticket.id,
    created_at: ctx.now(),
    author_id: ctx.me.id,
    metadata: { system: {}, custom: {} },
    via: { channel: 'api', source: { from: {}, to: {}, rel: null } },
    events,
  };
  return { status: 200, body: { ticket: ctx.json.ticket(ticket), audit } };
}
