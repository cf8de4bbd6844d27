/**
 * The parts of Zendesk's documented response bodies the adapter relies on, as zod schemas: an answer without them
 * is `invalid-response` naming the missing field. Unknown fields pass (Zendesk adds fields over time).
 *
 * References (developer.zendesk.com/api-reference/ticketing/…): users/users (JSON format), tickets/tickets,
 * tickets/ticket_comments, tickets/ticket-attachments (Upload Files), ticket-management/search, and
 * voice/talk-partner-edition-api; cursor pagination from introduction/pagination.
 */
import { z } from 'zod';

const id = z.number().int().positive();

/** `/api/v2/users/...` → `user`. */
export const zendeskUser = z.object({
  id,
  name: z.string(),
  email: z.string().nullable().optional(),
  phone: z.string().nullable().optional(),
  role: z.string(),
  external_id: z.string().nullable().optional(),
});
export type ZendeskUser = z.output<typeof zendeskUser>;

export const oneUser = z.object({ user: zendeskUser });

/** `GET /api/v2/users/me`: `id` is null when Zendesk answers as the anonymous user (credentials not accepted). */
export const meResponse = z.object({
  user: z.object({ id: id.nullable(), email: z.string().nullable().optional(), role: z.string(), name: z.string() }),
});

/**
 * `GET /api/v2/users` (List Users) with cursor pagination: `users`, plus `meta.has_more` and `links.next` — the
 * absolute URL of the next page, to follow while `has_more` is true (developer.zendesk.com/api-reference/
 * introduction/pagination/#using-cursor-pagination). `suspended` and `active` (false once deleted) are in every
 * user's JSON format; older answers without them count as not suspended and active.
 */
export const userCursorPage = z.object({
  users: z.array(zendeskUser.extend({ suspended: z.boolean().optional(), active: z.boolean().optional() })),
  meta: z.object({
    has_more: z.boolean(),
    after_cursor: z.string().nullable().optional(),
    before_cursor: z.string().nullable().optional(),
  }),
  links: z.object({ next: z.string().nullable().optional(), prev: z.string().nullable().optional() }),
});
export type UserCursorPage = z.output<typeof userCursorPage>;

/** Offset pagination: `next_page` is the absolute URL of the next page, or null on the last one. */
const page = { next_page: z.string().nullable().optional(), count: z.number().int().nonnegative().optional() };

/** `GET /api/v2/search` → `results`, each with `result_type` (`user`, `ticket`, …). */
export const searchResponse = z.object({
  results: z.array(z.object({ result_type: z.string() }).passthrough()),
  ...page,
});

export const zendeskTicket = z.object({
  id,
  subject: z.string().nullable().optional(),
  status: z.string(),
  requester_id: id.nullable().optional(),
  external_id: z.string().nullable().optional(),
  tags: z.array(z.string()),
});
export type ZendeskTicket = z.output<typeof zendeskTicket>;

export const oneTicket = z.object({ ticket: zendeskTicket });
export const ticketList = z.object({ tickets: z.array(zendeskTicket), ...page });
export type TicketList = z.output<typeof ticketList>;

/** `PUT /api/v2/tickets/{id}` → the ticket and the audit of this update (with the comment it added). */
export const ticketUpdate = z.object({
  ticket: zendeskTicket,
  audit: z.object({ events: z.array(z.object({ id, type: z.string() }).passthrough()) }),
});

export const zendeskComment = z.object({
  id,
  type: z.string(),
  body: z.string().nullable().optional(),
  public: z.boolean().optional(),
  attachments: z.array(z.object({ id, file_name: z.string() }).passthrough()).optional(),
  /** Voice comments: the call's data (`recording_url`, `from`, `to`, `started_at`, `call_duration`, …). */
  data: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type ZendeskComment = z.output<typeof zendeskComment>;

export const commentList = z.object({ comments: z.array(zendeskComment), ...page });
export type CommentList = z.output<typeof commentList>;

/** `POST /api/v2/uploads` → `upload.token`, to pass in a comment's `uploads`. */
export const uploadResponse = z.object({
  upload: z.object({ token: z.string().min(1), attachments: z.array(z.object({ id }).passthrough()).optional() }),
});
