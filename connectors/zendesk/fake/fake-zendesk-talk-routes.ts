/**
 * The Talk Partner Edition endpoints of the fake Zendesk (developer.zendesk.com/api-reference/voice/
 * talk-partner-edition-api/basics):
 *
 * ```
 * POST /api/v2/channels/voice/tickets  {ticket: {via_id 44|45|46, voice_comment, …}, display_to_agent?}
 *                                                        201 {ticket}   422 bad via_id, voice comment or agent
 * POST /api/v2/channels/voice/agents/{agent_id}/users/{user_id}/display        200 ""   404 unknown agent or user
 * POST /api/v2/channels/voice/agents/{agent_id}/tickets/{ticket_id}/display    200 ""   404 unknown agent or ticket
 * ```
 * Every display that succeeded is recorded (`FakeZendesk.displays()`): which agent was shown which record.
 */
import { idParam, type FakeZendeskContext, type Route } from './fake-zendesk-context.js';
import { jsonBody, objectParam, ZendeskRefusal, type Reply } from './fake-zendesk-http.js';
import type { FakeZendeskTicket, FakeZendeskUser } from './fake-zendesk-store.js';
import { applyChanges, ticketChanges } from './fake-zendesk-ticket-routes.js';

const MAX_JSON_BYTES = 1024 * 1024;
/** "Zendesk Talk Integration Via IDs". */
const VIA_RELS: Record<number, string> = { 44: 'voicemail', 45: 'inbound', 46: 'outbound' };

export const talkRoutes: readonly Route[] = [
  { method: 'POST', pattern: /^\/channels\/voice\/tickets$/, handle: (ctx, r) => createVoiceTicket(ctx, jsonBody(r.req, r.body, MAX_JSON_BYTES)) },
  {
    method: 'POST',
    pattern: /^\/channels\/voice\/agents\/([^/]+)\/users\/([^/]+)\/display$/,
    handle: (ctx, _r, [agentId, userId]) => {
      const agent = agentOf(ctx, agentId);
      const id = idParam(userId);
      const user = id === null ? undefined : ctx.store.user(id);
      if (!agent || !user) throw ZendeskRefusal.notFound();
      return display(ctx, agent, 'user', user.id);
    },
  },
  {
    method: 'POST',
    pattern: /^\/channels\/voice\/agents\/([^/]+)\/tickets\/([^/]+)\/display$/,
    handle: (ctx, _r, [agentId, ticketId]) => {
      const agent = agentOf(ctx, agentId);
      const id = idParam(ticketId);
      const ticket = id === null ? undefined : ctx.store.ticket(id);
      if (!agent || !ticket) throw ZendeskRefusal.notFound();
      return display(ctx, agent, 'ticket', ticket.id);
    },
  },
];

function agentOf(ctx: FakeZendeskContext, id: string | undefined): FakeZendeskUser | undefined {
  const agentId = idParam(id);
  const user = agentId === null ? undefined : ctx.store.user(agentId);
  return user && user.role !== 'end-user' ? user : undefined;
}

function display(ctx: FakeZendeskContext, agent: FakeZendeskUser, type: 'user' | 'ticket', id: number): Reply {
  ctx.store.displays.push({ agentId: agent.id, type, id, at: ctx.now() });
  return { status: 200, body: '' };
}

function createVoiceTicket(ctx: FakeZendeskContext, body: Record<string, unknown>): Reply {
  const input = objectParam(body, 'ticket');
  const via = input['via_id'];
  const rel = typeof via === 'number' ? VIA_RELS[via] : undefined;
  if (rel === undefined) throw ZendeskRefusal.invalid({ via_id: ['Via: must be 44 (voicemail), 45 (inbound call) or 46 (outbound call)'] });
  if (input['voice_comment'] === undefined) throw ZendeskRefusal.invalid({ voice_comment: ['Voice comment: is required for Talk tickets'] });
  let displayTo: FakeZendeskUser | undefined;
  if (body['display_to_agent'] !== undefined) {
    displayTo = agentOf(ctx, String(body['display_to_agent']));
    if (!displayTo) throw ZendeskRefusal.invalid({ display_to_agent: ['Display to agent: is not a valid agent'] });
  }
  const changes = ticketChanges(ctx, input, null);
  const voice = changes.voice!;
  const ticket: FakeZendeskTicket = {
    id: ctx.store.ticketId(),
    external_id: null,
    subject: null,
    description: '',
    status: 'new',
    requester_id: ctx.me.id,
    submitter_id: ctx.me.id,
    assignee_id: null,
    tags: [],
    via: { channel: 'voice', rel, from: voice.from, to: voice.to },
    created_at: ctx.now(),
    updated_at: ctx.now(),
  };
  ctx.store.tickets.push(ticket);
  applyChanges(ctx, ticket, changes, ctx.store.auditId());
  ticket.description = ctx.store.ticketComments(ticket.id)[0]?.body ?? '';
  if (ticket.subject === null) ticket.subject = `${rel === 'voicemail' ? 'Voicemail' : 'Call'} from: ${voice.from}`;
  if (displayTo) display(ctx, displayTo, 'ticket', ticket.id);
  return { status: 201, body: { ticket: ctx.json.ticket(ticket) } };
}
