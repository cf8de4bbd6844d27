import { getHeader } from '../sip/message.js';
import type { SipStack } from '../sip/sip-stack.js';
import type { ServerTransaction } from '../sip/transaction.js';
import type { Call } from './call.js';
import type { CallRecordings } from './call-recordings.js';
import type { SipLeg } from './sip-leg.js';

/** The softphone's in-call controls, carried in INFO (RFC 6086) so hold needs no SDP renegotiation. */
export const CONTROL_TYPE = 'application/vnd.sambung.control+json';

/**
 * An in-dialog INFO on a connected call. From the agent, our control package: `hold`/`unhold` (the caller hears
 * hold audio meanwhile), `pause-recording`/`resume-recording` (409 when the call is not recorded). From the
 * visitor, DTMF (`application/dtmf-relay`) is passed on to the agent; anything else is acknowledged.
 */
export function handleInfo(tx: ServerTransaction, call: Call, leg: SipLeg, d: { stack: SipStack; recordings?: CallRecordings }): void {
  const req = tx.request;
  const type = (getHeader(req, 'content-type') ?? '').toLowerCase();
  if (leg !== call.visitor && type.startsWith(CONTROL_TYPE)) {
    const action = controlAction(tx);
    if (action === NOT_JSON) return;
    if (action === 'hold' || action === 'unhold') {
      call.setHeld(action === 'hold');
      return void tx.respond(200);
    }
    if (action === 'pause-recording' || action === 'resume-recording') {
      const ok = d.recordings?.setPaused(call.id, action === 'pause-recording') ?? false;
      return void tx.respond(ok ? 200 : 409, ok ? {} : { reason: 'Conflict - this call is not being recorded' });
    }
    return void tx.respond(400, { reason: 'Bad Request - unknown action' });
  }
  tx.respond(200);
  if (leg === call.visitor && type.startsWith('application/dtmf-relay')) {
    call.agentLeg?.request(d.stack, 'INFO', { body: req.body, contentType: 'application/dtmf-relay' });
  }
}

/** What {@link controlAction} returns when it already answered 400. */
export const NOT_JSON = Symbol('not JSON');

/** The `action` of a control-package INFO; answers 400 itself (and returns {@link NOT_JSON}) when the body is not JSON. */
export function controlAction(tx: ServerTransaction): unknown {
  try {
    return (JSON.parse(tx.request.body) as { action?: unknown }).action;
  } catch {
    tx.respond(400, { reason: 'Bad Request - body is not JSON' });
    return NOT_JSON;
  }
}
