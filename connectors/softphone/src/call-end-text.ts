/**
 * What the agent reads, and what the CRM log says, when a call ends. Pure.
 *
 * Incoming calls: answered, declined by the agent, missed (the caller left, the bridge took it back) or failed
 * (media or signalling broke before the answer). Outgoing calls (click-to-dial): the bridge refuses an internal
 * call with a SIP status (see `docs/architecture.md`, "Internal calls"): 403 (an outside number without a
 * trunk, another organisation's agent, yourself), 404 (no such extension), 480 (not signed in, no answer),
 * 486 (busy), 603 (declined by the callee); JsSIP answers 401/407 itself. Branching is on the status, never on
 * the reason phrase.
 */
import type { CallRecord } from './call-log.js';
import type { DialKind } from './dial-target.js';
import type { CallOutcome, NoticeKind } from './host-adapter.js';
import type { CallEnd } from './softphone-ua.js';

export interface CallEndText {
  /** For the CRM log. Outgoing: `rejected` = busy or declined, `missed` = cancelled or not answered. */
  readonly outcome: CallOutcome;
  /** The line under the status. */
  readonly detail: string;
  /** A console notice: an outgoing attempt failed in a way the agent should act on. */
  readonly notice: { readonly message: string; readonly kind: NoticeKind } | null;
  /** A notice through the CRM's own UI: a missed incoming call. */
  readonly hostNotice: string | null;
}

/** Whom the agent dialled. */
export interface DialledParty {
  /** As the agent knows it: the record's name, else the number or username dialled. */
  readonly label: string;
  readonly kind: DialKind;
}

/** JsSIP causes that mean media or signalling failed, not that someone gave up. */
const MEDIA_FAILURES = new Set(['User Denied Media Access', 'WebRTC Error', 'Incompatible SDP', 'Missing SDP',
  'Bad Media Description', 'RTP Timeout', 'Connection Error', 'Request Timeout', 'Dialog Error', 'No ACK']);
const MIC_BLOCKED = 'Microphone blocked: allow it for this page and try again.';

export function describeIncomingEnd(end: CallEnd, record: CallRecord): CallEndText {
  const answered = record.answeredAt !== undefined;
  const who = record.caller.name || record.caller.phone || 'a visitor';
  const what = record.kind === 'callback' ? `callback request for ${record.caller.phone || who}` : `call from ${who}`;
  const text = (outcome: CallOutcome, detail: string, hostNotice: string | null = null): CallEndText =>
    ({ outcome, detail, notice: null, hostNotice });
  if (answered) {
    return text('answered', record.kind === 'callback' ? 'Callback done.'
      : end.originator === 'local' ? 'You ended the call.' : 'The caller hung up.');
  }
  if (record.rejected) return text('rejected', `Declined the ${what}.`);
  if (MEDIA_FAILURES.has(end.cause)) {
    return text('failed', end.cause === 'User Denied Media Access' ? MIC_BLOCKED : `The ${what} failed (${end.cause}).`);
  }
  return text('missed', `Missed ${what}.`, `Missed ${what}`);
}

export function describeDialEnd(end: CallEnd, answered: boolean, who: DialledParty): CallEndText {
  const { label } = who;
  if (answered) {
    const detail = end.originator === 'local' ? 'You ended the call.' : `${label} hung up.`;
    return { outcome: 'answered', detail, notice: null, hostNotice: null };
  }
  if (end.originator === 'local' && end.cause === 'Canceled') {
    return { outcome: 'missed', detail: 'Call cancelled.', notice: null, hostNotice: null };
  }
  const refused = (outcome: CallOutcome, message: string, kind: NoticeKind = 'warning'): CallEndText =>
    ({ outcome, detail: message, notice: { message, kind }, hostNotice: null });
  switch (end.status) {
    case 404:
    case 604:
      return refused('failed', `No such extension: ${label}.`, 'error');
    case 403:
      return refused('failed', who.kind === 'phone'
        ? `Calls to outside numbers are not available yet (${label}).`
        : `You cannot call ${label}.`, 'error');
    case 480:
    case 408:
    case 410:
      return refused('missed', `${label} is not available right now (not signed in or not answering).`);
    case 486:
    case 600:
      return refused('rejected', `${label} is busy.`);
    case 603:
      return refused('rejected', `${label} declined the call.`);
  }
  if (end.cause === 'User Denied Media Access') return refused('failed', MIC_BLOCKED, 'error');
  return refused('failed', `The call to ${label} failed (${end.status ?? end.cause}).`, 'error');
}
