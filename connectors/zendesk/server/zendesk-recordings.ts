/**
 * Recording parts on a voice ticket, in the tenant's chosen mode (`ZendeskSettings.recordings`):
 *
 * - `upload`: the WAV goes to `POST /api/v2/uploads?filename=…` (Content-Type `audio/wav`; answer `upload.token`),
 *   then a private comment "Recording part i of n" carries it (`comment.uploads: [token]`). An upload that no
 *   comment claims expires on its own, so a 413 or a failure between the two requests leaves nothing on the ticket.
 *   The comment's body carries the idempotency key; a repeat finds it among the ticket's comments and answers the
 *   comment's id again.
 * - `link`: Zendesk plays recordings from a URL (`voice_comment.recording_url`, MP3 or WAV). Part 1 is normally on
 *   the ticket's voice comment already (`CrmCallLog.recordingUrl`); every other part gets a voice comment of its
 *   own with the call's data and the part's signed URL. A voice comment has no text to carry a key, so the update
 *   adding it also adds a tag derived from the key, and a repeat finds the tag. A part without a URL is uploaded.
 *
 * Zendesk's documented attachment limit is 50 MB (developer.zendesk.com/documentation/voice/talk-partner-edition/
 * storing-a-call-recording); the bridge splits recordings below it.
 */
import type { RecordingPart } from '../../../bridge-server/src/crm/crm-adapter.js';
import { CrmError } from '../../../bridge-server/src/crm/crm-error.js';
import { readPartBytes } from '../../../bridge-server/src/crm/recording-part.js';
import { deliveryTag } from './voice-ticket.js';
import type { ZendeskClient } from './zendesk-client.js';
import { commentList, oneTicket, ticketUpdate, uploadResponse, type CommentList, type ZendeskComment } from './zendesk-schemas.js';

export const ZENDESK_MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;

/** A ticket holds at most 5000 comments (Ticket Comments reference): 50 pages of 100. */
const MAX_COMMENT_PAGES = 50;

export type RecordingDelivery = 'link' | 'upload';

/** The line of a part's comment that names the idempotency key it was written for. */
export function deliveryKeyLine(idempotencyKey: string): string {
  return `Sambung delivery key: ${idempotencyKey}`;
}

export class ZendeskRecordings {
  readonly #client: ZendeskClient;
  readonly #mode: RecordingDelivery;

  constructor(client: ZendeskClient, mode: RecordingDelivery) {
    this.#client = client;
    this.#mode = mode;
  }

  async attach(ticketId: number, part: RecordingPart, idempotencyKey: string): Promise<string> {
    if (this.#mode === 'link' && part.recordingUrl !== undefined) {
      const linked = await this.#link(ticketId, part, part.recordingUrl, idempotencyKey);
      if (linked !== null) return linked;
    }
    return this.#upload(ticketId, part, idempotencyKey);
  }

  async #upload(ticketId: number, part: RecordingPart, idempotencyKey: string): Promise<string> {
    const keyLine = deliveryKeyLine(idempotencyKey);
    const done = (await this.#comments(ticketId)).find((c) => (c.body ?? '').split('\n').includes(keyLine));
    if (done) return String(done.id);
    if (part.byteLength > ZENDESK_MAX_ATTACHMENT_BYTES) {
      throw CrmError.tooLarge(`recording part ${part.index} is ${part.byteLength} bytes; Zendesk attachments are limited to 50 MB`);
    }
    const bytes = await readPartBytes(part);
    const upload = await this.#client.request({
      method: 'POST',
      path: `/api/v2/uploads.json?${new URLSearchParams({ filename: part.filename })}`,
      ok: [201],
      schema: uploadResponse,
      bytes,
      contentType: part.contentType,
    });
    const body = `Recording part ${part.index} of ${part.total} (${part.filename})\n${keyLine}`;
    const updated = await this.#client.request({
      method: 'PUT',
      path: `/api/v2/tickets/${ticketId}.json`,
      ok: [200],
      schema: ticketUpdate,
      json: { ticket: { comment: { body, public: false, uploads: [upload.upload.token] } } },
    });
    const comment = updated.audit.events.find((e) => e.type === 'Comment');
    if (!comment) throw CrmError.invalidResponse(`Zendesk answered PUT /api/v2/tickets/${ticketId}.json without the Comment event it added`);
    return String(comment.id);
  }

  /** The part's voice comment, or null when the ticket has no voice comment to take the call's data from. */
  async #link(ticketId: number, part: RecordingPart, recordingUrl: string, idempotencyKey: string): Promise<string | null> {
    const ref = `${ticketId}:recording:${part.index}`;
    const tag = deliveryTag(idempotencyKey);
    const { ticket } = await this.#client.request({ method: 'GET', path: `/api/v2/tickets/${ticketId}.json`, ok: [200], schema: oneTicket });
    if (ticket.tags.includes(tag)) return ref;
    const original = (await this.#comments(ticketId)).find((c) => c.type === 'VoiceComment');
    const call = original ? callData(original) : null;
    if (call === null) return null;
    if (part.index === 1 && typeof original?.data?.['recording_url'] === 'string' && original.data['recording_url'] !== '') return ref;
    await this.#client.request({
      method: 'PUT',
      path: `/api/v2/tickets/${ticketId}.json`,
      ok: [200],
      schema: ticketUpdate,
      json: { ticket: { voice_comment: { ...call, recording_url: recordingUrl }, additional_tags: [tag] } },
    });
    return ref;
  }

  /** Every comment of the ticket, oldest first. */
  async #comments(ticketId: number): Promise<ZendeskComment[]> {
    const all: ZendeskComment[] = [];
    let path: string | null = `/api/v2/tickets/${ticketId}/comments.json?per_page=100`;
    for (let pages = 0; path !== null && pages < MAX_COMMENT_PAGES; pages++) {
      const page: CommentList = await this.#client.request({ method: 'GET', path, ok: [200], schema: commentList });
      all.push(...page.comments);
      path = page.next_page ?? null;
    }
    return all;
  }
}

/** The mandatory voice comment fields of the call, read back from the ticket's first voice comment. */
function callData(comment: ZendeskComment): Record<string, unknown> | null {
  const d = comment.data ?? {};
  const { from, to, started_at: startedAt, call_duration: duration, answered_by_id: answeredBy } = d;
  if (typeof from !== 'string' || typeof to !== 'string' || typeof startedAt !== 'string' || typeof duration !== 'number') return null;
  return { from, to, started_at: startedAt, call_duration: duration, ...(typeof answeredBy === 'number' ? { answered_by_id: answeredBy } : {}) };
}
