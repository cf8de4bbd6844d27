/**
 * A call as Zendesk shows it: one voice ticket per call, created through the Talk Partner Edition endpoint
 * `POST /api/v2/channels/voice/tickets` ("Create Ticket or Voicemail Ticket") with a `voice_comment`
 * (developer.zendesk.com/documentation/ticketing/managing-tickets/adding-voice-comments-to-tickets), then
 * described by a private comment carrying what the voice comment has no field for (queue, agent, wait, outcome,
 * disposition, notes).
 *
 * Everything here is plain text: Zendesk renders `comment.body` as text (Markdown-free unless `html_body` is
 * sent, which we never do), so a visitor's name or an agent's notes cannot inject markup.
 */
import { createHash } from 'node:crypto';
import type { CallOutcome, CrmCallLog, CrmContext } from '../../../bridge-server/src/crm/crm-adapter.js';
import { localClock } from '../../../bridge-server/src/crm/web-user-name.js';

/**
 * The `via_id` values the endpoint accepts ("Zendesk Talk Integration Via IDs"): 44 voicemail, 45 inbound call,
 * 46 outbound call.
 */
export const VIA_ID = { voicemail: 44, inbound: 45, outbound: 46 } as const;

/** The ticket `external_id` every upsert of one call finds the ticket by (`GET /api/v2/tickets?external_id=`). */
export function callExternalId(callId: string): string {
  return `sambung-call:${callId}`;
}

/**
 * The tag recording that the upsert with `idempotencyKey` was applied, set in the same ticket update as its
 * comment so both land or neither does. Zendesk lowercases tags and splits them on spaces; keys are
 * case-sensitive, so the tag is a digest of the key rather than the key itself.
 */
export function deliveryTag(idempotencyKey: string): string {
  return `sambung_key_${createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 32)}`;
}

/** A Zendesk id (users and tickets have integer ids); anything else is refused before a request is made. */
export function zendeskId(value: string): number | null {
  if (!/^[1-9]\d{0,17}$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
}

export interface VoiceCommentFields {
  from: string;
  to: string;
  started_at: string;
  call_duration: number;
  recording_url?: string;
  answered_by_id?: number;
}

/** The voice comment of the call: the numbers, start, talk time, who answered, and the recording link if any. */
export function voiceComment(log: CrmCallLog, recordingUrl: string | undefined): VoiceCommentFields {
  const fields: VoiceCommentFields = {
    from: log.from,
    to: log.to,
    started_at: log.startedAt.toISOString(),
    call_duration: Math.max(0, Math.round(log.durationSec)),
  };
  if (recordingUrl !== undefined) fields.recording_url = recordingUrl;
  const agentId = log.agent?.crmUserId === undefined ? null : zendeskId(log.agent.crmUserId);
  if (agentId !== null) fields.answered_by_id = agentId;
  return fields;
}

/** The body of `POST /api/v2/channels/voice/tickets` creating the call's ticket. */
export function voiceTicketPayload(log: CrmCallLog, options: { requesterId: number | null; recordingUrl: string | undefined }): unknown {
  return {
    ticket: {
      via_id: log.outcome === 'voicemail' ? VIA_ID.voicemail : VIA_ID[log.direction],
      subject: voiceTicketSubject(log),
      external_id: callExternalId(log.callId),
      ...(options.requesterId === null ? {} : { requester_id: options.requesterId }),
      tags: ['sambung', `sambung_${log.direction}`, `sambung_${log.outcome}`],
      voice_comment: voiceComment(log, options.recordingUrl),
    },
  };
}

const OUTCOME_WORDS: Record<CallOutcome, string> = {
  answered: 'Call',
  abandoned: 'Abandoned call',
  missed: 'Missed call',
  failed: 'Failed call',
  voicemail: 'Voicemail',
};

/** e.g. `Call from +62 812 3456 7890 (Sales)`, `Missed call from …`, `Call to … (Sales)`. */
export function voiceTicketSubject(log: CrmCallLog): string {
  const who = log.direction === 'outbound' ? `to ${log.to}` : `from ${log.from}`;
  const queue = log.queue.trim() === '' ? '' : ` (${log.queue.trim()})`;
  return `${OUTCOME_WORDS[log.outcome]} ${who}${queue}`.slice(0, 250);
}

/**
 * The private comment describing the call, one `Label: value` line each, notes last (they may span lines):
 *
 * ```
 * Sambung call summary
 * Queue: Sales
 * Agent: Alice Agent
 * Direction: inbound
 * Outcome: answered
 * Started: 2026-11-21 10:00 (Asia/Jakarta)
 * Wait: 12 s
 * Talk time: 180 s
 * Disposition: sale
 * Notes: wants a quote
 * ```
 */
export function callSummary(log: CrmCallLog, ctx: CrmContext): string {
  const lines = [
    'Sambung call summary',
    `Queue: ${oneLine(log.queue) || '—'}`,
    `Agent: ${log.agent ? oneLine(log.agent.name) : '—'}`,
    `Direction: ${log.direction}`,
    `Outcome: ${log.outcome}`,
    `Started: ${localTime(log.startedAt, ctx.timeZone)} (${ctx.timeZone})`,
    `Wait: ${Math.round(log.waitSec)} s`,
    `Talk time: ${Math.round(log.durationSec)} s`,
    `Disposition: ${log.disposition === null ? '—' : oneLine(log.disposition) || '—'}`,
    `Notes: ${log.notes === null || log.notes.trim() === '' ? '—' : log.notes.trim()}`,
  ];
  return lines.join('\n');
}

/** A field that must stay on its line of the summary (a name typed with a line break cannot fake a label). */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function localTime(at: Date, timeZone: string): string {
  const t = localClock(at, timeZone);
  return `${t.year}-${t.month}-${t.day} ${t.hour}:${t.minute}`;
}
