/**
 * The {@link CrmAdapter} for Zendesk Support with Talk Partner Edition, plus its server screen pop
 * ({@link CrmScreenPop}), connection check ({@link CrmConnectionCheck}) and staff listing ({@link CrmUserDirectory}).
 * What each member sends:
 *
 * | member                | Zendesk API                                                                           |
 * |-----------------------|---------------------------------------------------------------------------------------|
 * | findContactsByPhone   | `GET /api/v2/search?query=role:end-user phone:*<digits>`, then same digits only        |
 * | findContactsByEmail   | `GET /api/v2/search?query=role:end-user email:"<address>"`, then same address only     |
 * | createContact         | `POST /api/v2/users/create_or_update` with `external_id` from the idempotency key      |
 * | upsertCallLog         | the call's voice ticket: find by `external_id`, else `POST /api/v2/channels/voice/tickets`; then a private summary comment + key tag (`PUT /api/v2/tickets/{id}`) |
 * | attachRecordingPart   | `zendesk-recordings.ts`                                                               |
 * | newestOpenTicket      | `GET /api/v2/users/{id}/tickets/requested?sort_by=created_at&sort_order=desc`          |
 * | displayToAgent        | `POST /api/v2/channels/voice/agents/{agent}/users|tickets/{id}/display`               |
 * | checkConnection       | `GET /api/v2/users/me` (an anonymous user there means the credentials were not taken) |
 * | listAgents            | `zendesk-agents.ts`: `GET /api/v2/users?role[]=agent&role[]=admin&page[size]=100`, cursor pages |
 *
 * Idempotency lives in Zendesk, not in memory, so it survives a bridge restart: contacts by `external_id`, the call
 * log by the ticket's `external_id` plus one tag per applied key, upload parts by a comment naming the key.
 */
import type {
  CrmAdapter,
  CrmAttachmentRef,
  CrmCallLog,
  CrmCallLogRef,
  CrmContact,
  CrmContext,
  NewCrmContact,
  RecordingPart,
} from '../../../bridge-server/src/crm/crm-adapter.js';
import type { Clock } from '../../../bridge-server/src/clock.js';
import { sameEmail, samePhone } from '../../../bridge-server/src/crm/contact-match.js';
import { CrmError } from '../../../bridge-server/src/crm/crm-error.js';
import type { CrmAccount, CrmConnectionCheck, CrmRecordRef, CrmScreenPop } from '../../../bridge-server/src/crm/crm-screen-pop.js';
import type { CrmAgentList, CrmUserDirectory } from '../../../bridge-server/src/crm/crm-user-directory.js';
import { contactName } from '../../../bridge-server/src/crm/web-user-name.js';
import { callExternalId, callSummary, deliveryTag, voiceTicketPayload, zendeskId } from './voice-ticket.js';
import { listZendeskAgents } from './zendesk-agents.js';
import { ZendeskClient } from './zendesk-client.js';
import { ZendeskRecordings, type RecordingDelivery } from './zendesk-recordings.js';
import { meResponse, oneTicket, oneUser, searchResponse, ticketList, ticketUpdate, zendeskUser, type TicketList, type ZendeskUser } from './zendesk-schemas.js';
import { emailSearchQuery, phoneSearchQuery } from './zendesk-search.js';

export interface ZendeskCrmAdapterOptions {
  /** The subdomain (`acme`), reported by {@link ZendeskCrmAdapter.checkConnection}. */
  readonly account: string;
  /** The account's origin (`https://acme.zendesk.com`, or a fake's URL in tests). */
  readonly baseUrl: string;
  /** The `Authorization` header value (`authorizationHeader(secret)`). */
  readonly authorization: string;
  readonly recordings: RecordingDelivery;
  readonly timeoutMs?: number | undefined;
  readonly fetch?: typeof fetch | undefined;
  readonly clock?: Clock | undefined;
}

/** Open tickets are every status but these (Tickets reference, `status`). */
const CLOSED_STATUSES = new Set(['solved', 'closed', 'deleted']);
/** How far back {@link ZendeskCrmAdapter.newestOpenTicket} looks: 5 pages of 100, newest first. */
const MAX_TICKET_PAGES = 5;

export class ZendeskCrmAdapter implements CrmAdapter, CrmScreenPop, CrmConnectionCheck, CrmUserDirectory {
  readonly #account: string;
  readonly #client: ZendeskClient;
  readonly #recordingMode: RecordingDelivery;
  readonly #recordings: ZendeskRecordings;

  constructor(options: ZendeskCrmAdapterOptions) {
    this.#account = options.account;
    this.#client = new ZendeskClient(options);
    this.#recordingMode = options.recordings;
    this.#recordings = new ZendeskRecordings(this.#client, options.recordings);
  }

  async findContactsByPhone(_ctx: CrmContext, phone: string): Promise<CrmContact[]> {
    const query = phoneSearchQuery(phone);
    if (query === null) return [];
    return (await this.#searchUsers(query)).filter((u) => u.role === 'end-user' && samePhone(u.phone ?? null, phone)).map(toContact);
  }

  async findContactsByEmail(_ctx: CrmContext, email: string): Promise<CrmContact[]> {
    const query = emailSearchQuery(email, 'role:end-user');
    if (query === null) return [];
    return (await this.#searchUsers(query)).filter((u) => u.role === 'end-user' && sameEmail(u.email ?? null, email)).map(toContact);
  }

  /**
   * `create_or_update` matches an existing user by `external_id` — ours, derived from the key, so a retry lands on
   * the user created the first time — or else by e-mail, and would then overwrite that user (an agent's, if a
   * visitor typed an agent's address, demoting them to end-user). So an address already on a user that is not
   * ours — or one that cannot be searched for safely — is refused as `rejected` before anything is written.
   */
  async createContact(ctx: CrmContext, contact: NewCrmContact, idempotencyKey: string): Promise<CrmContact> {
    const externalId = `sambung-contact:${idempotencyKey}`;
    const email = contact.email?.trim() || null;
    const phone = contact.phone?.trim() || null;
    if (email !== null) {
      const query = emailSearchQuery(email, 'type:user');
      if (query === null) {
        throw CrmError.rejected('the caller\'s e-mail address holds spaces, quotes or search operators, so it cannot be checked against existing Zendesk users; no user was created');
      }
      const holders = (await this.#searchUsers(query)).filter((u) => sameEmail(u.email ?? null, email));
      const ours = holders.find((u) => u.external_id === externalId);
      if (ours) return toContact(ours);
      if (holders.length > 0) {
        throw CrmError.rejected(`Zendesk user ${holders[0]!.id} already has this e-mail address; Zendesk allows one user per address`);
      }
    }
    const user = {
      name: contactName(contact.name, contact.at, ctx.timeZone),
      role: 'end-user',
      external_id: externalId,
      skip_verify_email: true,
      ...(email === null ? {} : { email }),
      ...(phone === null ? {} : { phone }),
    };
    const reply = await this.#client.request({
      method: 'POST',
      path: '/api/v2/users/create_or_update.json',
      ok: [200, 201],
      schema: oneUser,
      json: { user },
    });
    if (reply.user.external_id !== externalId) {
      throw CrmError.invalidResponse(`Zendesk answered POST /api/v2/users/create_or_update.json with user ${reply.user.id}, not the one keyed ${externalId}`);
    }
    return toContact(reply.user);
  }

  async upsertCallLog(ctx: CrmContext, log: CrmCallLog, idempotencyKey: string): Promise<CrmCallLogRef> {
    const requesterId = log.contactId === null ? null : zendeskId(log.contactId);
    if (log.contactId !== null && requesterId === null) throw CrmError.rejected(`contact id "${log.contactId}" is not a Zendesk user id`);
    const tag = deliveryTag(idempotencyKey);
    const externalId = callExternalId(log.callId);
    const found = await this.#client.request({
      method: 'GET',
      path: `/api/v2/tickets.json?${new URLSearchParams({ external_id: externalId })}`,
      ok: [200],
      schema: ticketList,
    });
    let ticket = found.tickets.filter((t) => t.external_id === externalId).sort((a, b) => a.id - b.id)[0];
    if (!ticket) {
      const recordingUrl = this.#recordingMode === 'link' ? log.recordingUrl : undefined;
      ticket = (
        await this.#client.request({
          method: 'POST',
          path: '/api/v2/channels/voice/tickets.json',
          ok: [201],
          schema: oneTicket,
          json: voiceTicketPayload(log, { requesterId, recordingUrl }),
        })
      ).ticket;
    }
    if (ticket.tags.includes(tag)) return String(ticket.id);
    const relink = requesterId !== null && ticket.requester_id !== requesterId ? { requester_id: requesterId } : {};
    await this.#client.request({
      method: 'PUT',
      path: `/api/v2/tickets/${ticket.id}.json`,
      ok: [200],
      schema: ticketUpdate,
      json: { ticket: { comment: { body: callSummary(log, ctx), public: false }, additional_tags: [tag], ...relink } },
    });
    return String(ticket.id);
  }

  async attachRecordingPart(
    _ctx: CrmContext,
    callLogRef: CrmCallLogRef,
    part: RecordingPart,
    idempotencyKey: string,
  ): Promise<CrmAttachmentRef> {
    const ticketId = zendeskId(callLogRef);
    if (ticketId === null) throw CrmError.rejected(`call log reference "${callLogRef}" is not a Zendesk ticket id`);
    return this.#recordings.attach(ticketId, part, idempotencyKey);
  }

  async newestOpenTicket(_ctx: CrmContext, contactId: string): Promise<CrmRecordRef | null> {
    const userId = zendeskId(contactId);
    if (userId === null) throw CrmError.rejected(`contact id "${contactId}" is not a Zendesk user id`);
    const query = new URLSearchParams({ sort_by: 'created_at', sort_order: 'desc', per_page: '100' });
    let path: string | null = `/api/v2/users/${userId}/tickets/requested.json?${query}`;
    for (let pages = 0; path !== null && pages < MAX_TICKET_PAGES; pages++) {
      const page: TicketList = await this.#client.request({ method: 'GET', path, ok: [200], schema: ticketList });
      const open = page.tickets.filter((t) => !CLOSED_STATUSES.has(t.status)).sort((a, b) => b.id - a.id)[0];
      if (open) return { type: 'ticket', id: String(open.id), label: open.subject ? `#${open.id} ${open.subject}` : `#${open.id}` };
      path = page.next_page ?? null;
    }
    return null;
  }

  async displayToAgent(_ctx: CrmContext, crmUserId: string, record: CrmRecordRef): Promise<void> {
    const agentId = zendeskId(crmUserId);
    if (agentId === null) throw CrmError.rejected(`agent "${crmUserId}" is not a Zendesk user id`);
    const recordId = zendeskId(record.id);
    if (recordId === null) throw CrmError.rejected(`${record.type} "${record.id}" is not a Zendesk id`);
    const kind = record.type === 'ticket' ? 'tickets' : 'users';
    await this.#client.request({ method: 'POST', path: `/api/v2/channels/voice/agents/${agentId}/${kind}/${recordId}/display.json`, ok: [200] });
  }

  async checkConnection(_ctx: CrmContext): Promise<CrmAccount> {
    const { user } = await this.#client.request({ method: 'GET', path: '/api/v2/users/me.json', ok: [200], schema: meResponse });
    if (user.id === null) throw CrmError.auth('Zendesk answered as the anonymous user: the credentials were not accepted; reconnect Zendesk');
    if (user.role === 'end-user') throw CrmError.auth('the Zendesk credentials belong to an end user; connect with an agent or admin');
    return { user: user.email ?? user.name, account: this.#account };
  }

  async listAgents(_ctx: CrmContext): Promise<CrmAgentList> {
    return listZendeskAgents(this.#client);
  }

  /** The users on the first page of a search (the contract allows capping at the CRM's first page). */
  async #searchUsers(query: string): Promise<ZendeskUser[]> {
    const page = await this.#client.request({
      method: 'GET',
      path: `/api/v2/search.json?${new URLSearchParams({ query, per_page: '100' })}`,
      ok: [200],
      schema: searchResponse,
    });
    const users: ZendeskUser[] = [];
    for (const [i, result] of page.results.entries()) {
      if (result.result_type !== 'user') continue;
      const user = zendeskUser.safeParse(result);
      if (!user.success) {
        const where = user.error.issues[0]?.path.join('.') ?? '';
        throw CrmError.invalidResponse(`Zendesk answered GET /api/v2/search.json with an undocumented user: results.${i}.${where}`);
      }
      users.push(user.data);
    }
    return users;
  }
}

function toContact(user: ZendeskUser): CrmContact {
  return { id: String(user.id), name: user.name, phone: user.phone ?? null, email: user.email ?? null };
}
