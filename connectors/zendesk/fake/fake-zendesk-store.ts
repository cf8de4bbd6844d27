/**
 * What the fake Zendesk holds, and how each record looks on the wire (the JSON formats of the Users, Tickets,
 * Ticket Comments and Attachments references; fields the adapter never reads are included with Zendesk's
 * defaults so the shapes are the documented ones).
 */
import { randomBytes } from 'node:crypto';
import { htmlBody } from './fake-zendesk-http.js';

export type FakeZendeskRole = 'end-user' | 'agent' | 'admin';
export type FakeTicketStatus = 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed';

export interface FakeZendeskUser {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  role: FakeZendeskRole;
  external_id: string | null;
  /** Zendesk's flag for a number on several users (not a direct line). */
  shared_phone_number: boolean;
  /** Set through `create_or_update` (`suspended` is writable); absent means false. */
  suspended?: boolean;
  created_at: string;
  updated_at: string;
}

export interface FakeVoiceData {
  from: string;
  to: string;
  recording_url: string | null;
  started_at: string;
  call_duration: number;
  answered_by_id: number | null;
  transcription_text: string | null;
  location: string | null;
}

export interface FakeZendeskTicket {
  id: number;
  external_id: string | null;
  subject: string | null;
  description: string;
  status: FakeTicketStatus;
  requester_id: number;
  submitter_id: number;
  assignee_id: number | null;
  tags: string[];
  /** `voice` with `rel` inbound/outbound/voicemail for Talk tickets, `api` otherwise. */
  via: { channel: string; rel: string | null; from: string | null; to: string | null };
  created_at: string;
  updated_at: string;
}

export interface FakeZendeskComment {
  id: number;
  ticket_id: number;
  type: 'Comment' | 'VoiceComment';
  author_id: number;
  body: string;
  public: boolean;
  attachment_ids: number[];
  audit_id: number;
  created_at: string;
  /** Voice comments only. */
  data: FakeVoiceData | null;
}

export interface FakeZendeskAttachment {
  id: number;
  file_name: string;
  content_type: string;
  size: number;
  bytes: Buffer;
  /** The secret part of `content_url`. */
  content_token: string;
  /** The upload it arrived in. */
  upload_token: string;
  comment_id: number | null;
}

export interface FakeZendeskUpload {
  token: string;
  attachment_ids: number[];
  expires_at: number;
  /** Set once a comment took it; a token is good for one comment. */
  claimed: boolean;
}

/** One display request of the Talk Partner Edition API: which agent was shown what. */
export interface FakeZendeskDisplay {
  agentId: number;
  type: 'user' | 'ticket';
  id: number;
  at: string;
}

/** Zendesk keeps tags lowercase and space-free: "Sambung Call" becomes two tags. */
export function normalizeTags(values: readonly unknown[]): string[] {
  const tags = values.flatMap((v) => (typeof v === 'string' ? v.toLowerCase().split(/\s+/) : [])).filter((t) => t !== '');
  return [...new Set(tags)];
}

export class FakeZendeskStore {
  readonly users: FakeZendeskUser[] = [];
  readonly tickets: FakeZendeskTicket[] = [];
  readonly comments: FakeZendeskComment[] = [];
  readonly attachments: FakeZendeskAttachment[] = [];
  readonly uploads = new Map<string, FakeZendeskUpload>();
  readonly displays: FakeZendeskDisplay[] = [];
  #nextUser = 360_000_000_001;
  #nextTicket = 1;
  #nextComment = 900_000_000_001;
  #nextAttachment = 700_000_000_001;
  #nextAudit = 500_000_000_001;

  userId(): number {
    return this.#nextUser++;
  }
  ticketId(): number {
    return this.#nextTicket++;
  }
  commentId(): number {
    return this.#nextComment++;
  }
  attachmentId(): number {
    return this.#nextAttachment++;
  }
  auditId(): number {
    return this.#nextAudit++;
  }

  user(id: number): FakeZendeskUser | undefined {
    return this.users.find((u) => u.id === id);
  }
  ticket(id: number): FakeZendeskTicket | undefined {
    return this.tickets.find((t) => t.id === id);
  }
  attachment(id: number): FakeZendeskAttachment | undefined {
    return this.attachments.find((a) => a.id === id);
  }
  ticketComments(ticketId: number): FakeZendeskComment[] {
    return this.comments.filter((c) => c.ticket_id === ticketId);
  }

  static token(): string {
    return randomBytes(18).toString('base64url');
  }
}

/** Renders records in Zendesk's JSON formats; URLs are absolute on the fake's origin. */
export class FakeZendeskJson {
  constructor(
    private readonly store: FakeZendeskStore,
    private readonly base: () => string,
  ) {}

  user(u: FakeZendeskUser): Record<string, unknown> {
    return {
      id: u.id,
      url: `${this.base()}/api/v2/users/${u.id}.json`,
      name: u.name,
      email: u.email,
      created_at: u.created_at,
      updated_at: u.updated_at,
      time_zone: 'UTC',
      iana_time_zone: 'Etc/UTC',
      phone: u.phone,
      shared_phone_number: u.phone === null ? null : u.shared_phone_number,
      photo: null,
      locale_id: 1,
      locale: 'en-US',
      organization_id: null,
      role: u.role,
      verified: u.role !== 'end-user',
      external_id: u.external_id,
      tags: [],
      alias: '',
      active: true,
      shared: false,
      shared_agent: false,
      last_login_at: null,
      two_factor_auth_enabled: false,
      signature: null,
      details: '',
      notes: '',
      role_type: null,
      custom_role_id: null,
      moderator: u.role !== 'end-user',
      ticket_restriction: u.role === 'end-user' ? 'requested' : null,
      only_private_comments: false,
      restricted_agent: u.role === 'end-user',
      suspended: u.suspended ?? false,
      default_group_id: null,
      report_csv: false,
      user_fields: {},
    };
  }

  /** What `GET /api/v2/users/me` answers when the request did not authenticate. */
  anonymousUser(): Record<string, unknown> {
    return {
      id: null,
      url: null,
      name: 'Anonymous user',
      email: 'invalid@example.com',
      created_at: null,
      updated_at: null,
      time_zone: 'UTC',
      iana_time_zone: 'Etc/UTC',
      phone: null,
      shared_phone_number: null,
      photo: null,
      locale_id: 1,
      locale: 'en-US',
      organization_id: null,
      role: 'end-user',
      verified: false,
    };
  }

  ticket(t: FakeZendeskTicket): Record<string, unknown> {
    const isPublic = this.store.ticketComments(t.id).some((c) => c.public);
    return {
      id: t.id,
      url: `${this.base()}/api/v2/tickets/${t.id}.json`,
      external_id: t.external_id,
      via: { channel: t.via.channel, source: { from: t.via.from === null ? {} : { phone: t.via.from }, to: t.via.to === null ? {} : { phone: t.via.to }, rel: t.via.rel } },
      created_at: t.created_at,
      updated_at: t.updated_at,
      type: null,
      subject: t.subject,
      raw_subject: t.subject,
      description: t.description,
      priority: null,
      status: t.status,
      recipient: null,
      requester_id: t.requester_id,
      submitter_id: t.submitter_id,
      assignee_id: t.assignee_id,
      organization_id: null,
      group_id: null,
      collaborator_ids: [],
      follower_ids: [],
      email_cc_ids: [],
      forum_topic_id: null,
      problem_id: null,
      has_incidents: false,
      is_public: isPublic,
      due_at: null,
      tags: [...t.tags],
      custom_fields: [],
      satisfaction_rating: null,
      sharing_agreement_ids: [],
      fields: [],
      followup_ids: [],
      brand_id: null,
      allow_channelback: false,
      allow_attachments: true,
    };
  }

  comment(c: FakeZendeskComment): Record<string, unknown> {
    const json: Record<string, unknown> = {
      id: c.id,
      type: c.type,
      author_id: c.author_id,
      body: c.body,
      html_body: htmlBody(c.body),
      plain_body: c.body,
      public: c.public,
      attachments: c.attachment_ids.map((id) => this.attachment(this.store.attachment(id)!)),
      audit_id: c.audit_id,
      via: { channel: c.type === 'VoiceComment' ? 'voice' : 'api', source: { from: {}, to: {}, rel: null } },
      created_at: c.created_at,
      metadata: { system: {}, custom: {} },
    };
    if (c.data !== null) {
      json['data'] = { ...c.data };
      json['formatted_from'] = c.data.from;
      json['formatted_to'] = c.data.to;
      json['transcription_visible'] = c.data.transcription_text !== null;
    }
    return json;
  }

  attachment(a: FakeZendeskAttachment): Record<string, unknown> {
    const contentUrl = `${this.base()}/attachments/token/${a.content_token}/?name=${encodeURIComponent(a.file_name)}`;
    return {
      id: a.id,
      url: `${this.base()}/api/v2/attachments/${a.id}.json`,
      file_name: a.file_name,
      content_url: contentUrl,
      mapped_content_url: contentUrl,
      content_type: a.content_type,
      size: a.size,
      width: null,
      height: null,
      inline: false,
      deleted: false,
      malware_access_override: false,
      malware_scan_result: 'malware_not_found',
      thumbnails: [],
    };
  }
}
