import type { NameAddr } from '../sip/message.js';

// How the bridge presents itself in SIP, and the B2BUA's fixed limits.

/** 64·T1 (RFC 3261 §13.3.1.4, Timer H's value). */
export const ACK_TIMEOUT_MS = 64 * 500;
/** The longest voicemail a caller may leave. */
export const VOICEMAIL_MAX_SEC = 120;
export const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REGISTER';
/** Our Contact: in-dialog requests come back over the same WebSocket (RFC 7118 §5), the host is not used. */
export const OUR_CONTACT: NameAddr = {
  displayName: null,
  uri: { scheme: 'sip', user: 'sambung', password: null, host: 'sambung.invalid', port: null, params: { transport: 'ws' }, headers: {} },
  params: {},
};
export const OUR_CONTACT_TEXT = '<sip:sambung@sambung.invalid;transport=ws>';


/**
 * Our answer to an in-dialog request the call does not handle itself: re-INVITE/UPDATE → 488 (media is anchored
 * and never renegotiated), OPTIONS → 200 with Allow, anything else → 405 with Allow.
 */
export function answerOtherInDialog(tx: { request: { method: string }; respond(status: number, options?: { reason?: string; headers?: Record<string, string> }): void }): void {
  switch (tx.request.method) {
    case 'INVITE':
    case 'UPDATE':
      return tx.respond(488, { reason: 'Not Acceptable Here - re-negotiation is not supported' });
    case 'OPTIONS':
      return tx.respond(200, { headers: { Allow: ALLOW } });
    default:
      return tx.respond(405, { headers: { Allow: ALLOW } });
  }
}
