import type { EndingAction, WaitInfo } from '../acd/index.js';
import type { ServerTransaction } from '../sip/transaction.js';
import type { Call } from './call.js';
import { encodeHeaderValue, H } from './call-headers.js';

/**
 * What the waiting visitor is told, in responses to its INVITE: `182 Queued` with its place in line and
 * expected wait whenever they change (RFC 3261 §21.1.3), and the final `480` of a deflection.
 */
export function tellQueueStatus(call: Call, info: WaitInfo | null, contact: string): void {
  if (call.state !== 'queued' && call.state !== 'ringing') return;
  if (!info || info.position === 0) return;
  const ewt = info.ewtSec === null ? null : Math.round(info.ewtSec);
  const status = `${info.position}/${ewt ?? ''}`;
  if (status === call.lastStatus) return;
  call.lastStatus = status;
  call.visitorInvite.respond(182, {
    reason: 'Queued',
    headers: {
      Contact: contact,
      [H.queuePosition]: String(info.position),
      ...(ewt === null ? {} : { [H.estimatedWait]: String(ewt) }),
    },
  });
}

/** End a waiting call with the queue's alternative: 480 with the deflection (percent-encoded JSON) for the widget. */
export function deflect(tx: ServerTransaction, action: EndingAction, reason: string): void {
  const text = JSON.stringify({ reason, ...action });
  tx.respond(480, { reason: 'Temporarily Unavailable', headers: { [H.deflection]: encodeHeaderValue(text) } });
}
