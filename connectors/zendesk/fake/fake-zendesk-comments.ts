/**
 * Adding comments to a ticket, shared by ticket creation and update: a `comment` object (`body`, `public`,
 * `uploads`) or a `voice_comment` object (Adding voice comments to tickets: `from`, `to`, `recording_url`,
 * `started_at`, `call_duration` mandatory in the reference table; `answered_by_id`, `transcription_text`,
 * `location` optional). Without `recording_url` Zendesk still adds the comment and shows "Recording not available"
 * (Talk Partner Edition guide, "Creating a voice comment in a ticket"), so the fake accepts that too.
 */
import type { FakeZendeskContext } from './fake-zendesk-context.js';
import { ZendeskRefusal } from './fake-zendesk-http.js';
import type { FakeVoiceData, FakeZendeskComment, FakeZendeskTicket } from './fake-zendesk-store.js';

/** A ticket holds at most 5000 comments (Ticket Comments reference); more is 422. */
export const MAX_COMMENTS = 5000;

export interface CommentInput {
  body: string;
  public: boolean;
  uploads: string[];
}

export function commentInput(value: unknown): CommentInput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw ZendeskRefusal.invalid({ comment: ['Comment: is invalid'] });
  const c = value as Record<string, unknown>;
  const body = typeof c['body'] === 'string' ? c['body'] : typeof c['html_body'] === 'string' ? stripTags(c['html_body']) : '';
  if (body.trim() === '') throw ZendeskRefusal.invalid({ comment: ['Comment: cannot be blank'] }, 'BlankValue');
  const uploads = c['uploads'] === undefined ? [] : c['uploads'];
  if (!Array.isArray(uploads) || !uploads.every((u): u is string => typeof u === 'string')) {
    throw ZendeskRefusal.invalid({ uploads: ['Uploads: must be a list of upload tokens'] });
  }
  return { body, public: c['public'] !== false, uploads };
}

export function voiceInput(ctx: FakeZendeskContext, value: unknown): FakeVoiceData {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw ZendeskRefusal.invalid({ voice_comment: ['Voice comment: is invalid'] });
  const v = value as Record<string, unknown>;
  const errors: string[] = [];
  const text = (key: string, required: boolean): string | null => {
    const x = v[key];
    if (x === undefined || x === null) {
      if (required) errors.push(`Voice comment: ${key} is required`);
      return null;
    }
    if (typeof x !== 'string') errors.push(`Voice comment: ${key} must be a string`);
    return typeof x === 'string' ? x : null;
  };
  const from = text('from', true);
  const to = text('to', true);
  const startedAt = text('started_at', true);
  if (startedAt !== null && Number.isNaN(Date.parse(startedAt))) errors.push('Voice comment: started_at must be an ISO 8601 time');
  const recordingUrl = text('recording_url', false);
  if (recordingUrl !== null && !/^https?:\/\/\S+$/.test(recordingUrl)) errors.push('Voice comment: recording_url must be an http(s) URL');
  const duration = v['call_duration'];
  if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 0) errors.push('Voice comment: call_duration must be a whole number of seconds');
  const answeredBy = v['answered_by_id'];
  if (answeredBy !== undefined && answeredBy !== null) {
    const agent = typeof answeredBy === 'number' ? ctx.store.user(answeredBy) : undefined;
    if (!agent || agent.role === 'end-user') errors.push('Voice comment: answered_by_id must be an agent');
  }
  const transcription = text('transcription_text', false);
  const location = text('location', false);
  if (errors.length > 0) throw ZendeskRefusal.invalid({ voice_comment: errors });
  return {
    from: from!,
    to: to!,
    recording_url: recordingUrl,
    started_at: startedAt!,
    call_duration: duration as number,
    answered_by_id: typeof answeredBy === 'number' ? answeredBy : null,
    transcription_text: transcription,
    location,
  };
}

/** The upload tokens as attachments to claim, or 422 for a token that is unknown, expired or already used. */
export function claimableUploads(ctx: FakeZendeskContext, tokens: readonly string[]): number[] {
  const ids: number[] = [];
  for (const token of tokens) {
    const upload = ctx.store.uploads.get(token);
    if (!upload || upload.claimed || upload.expires_at <= ctx.nowMs()) throw ZendeskRefusal.invalid({ uploads: [`Uploads: ${token} is not a valid upload token`] });
    ids.push(...upload.attachment_ids);
  }
  return ids;
}

/** Adds one comment, checked beforehand (including the comment limit), to `ticket` under `auditId`; returns it. */
export function addComment(
  ctx: FakeZendeskContext,
  ticket: FakeZendeskTicket,
  auditId: number,
  input: { kind: 'comment'; comment: CommentInput } | { kind: 'voice'; data: FakeVoiceData },
): FakeZendeskComment {
  const comment: FakeZendeskComment = {
    id: ctx.store.commentId(),
    ticket_id: ticket.id,
    type: input.kind === 'voice' ? 'VoiceComment' : 'Comment',
    author_id: ctx.me.id,
    body: input.kind === 'voice' ? voiceBody(ctx, input.data) : input.comment.body,
    public: input.kind === 'voice' ? false : input.comment.public,
    attachment_ids: [],
    audit_id: auditId,
    created_at: ctx.now(),
    data: input.kind === 'voice' ? input.data : null,
  };
  if (input.kind === 'comment') {
    for (const token of input.comment.uploads) {
      const upload = ctx.store.uploads.get(token)!;
      upload.claimed = true;
      for (const id of upload.attachment_ids) {
        ctx.store.attachment(id)!.comment_id = comment.id;
        comment.attachment_ids.push(id);
      }
    }
  }
  ctx.store.comments.push(comment);
  return comment;
}

/** The text Zendesk shows for a voice comment. */
function voiceBody(ctx: FakeZendeskContext, d: FakeVoiceData): string {
  const agent = d.answered_by_id === null ? undefined : ctx.store.user(d.answered_by_id);
  return [
    `Call from: ${d.from}`,
    `Call to: ${d.to}`,
    `Time of call: ${d.started_at}`,
    `Length of phone call: ${d.call_duration} seconds`,
    ...(agent ? [`Answered by: ${agent.name}`] : []),
    ...(d.location ? [`Location: ${d.location}`] : []),
    ...(d.transcription_text ? [`Transcription: ${d.transcription_text}`] : []),
  ].join('\n');
}

function stripTags(html: string): string {
  return html.replace(/<[^>]*>/g, '');
}
