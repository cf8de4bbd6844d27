import { randomUUID } from 'node:crypto';
import type { TimerHandle } from '../clock.js';
import { SipError } from '../errors.js';
import { MediaLeg } from '../media/media-leg.js';
import type { SipConnection } from '../sip/connection.js';
import { Dialog } from '../sip/dialog.js';
import { parseAuthorization } from '../sip/digest-auth.js';
import type { InviteServerTransaction } from '../sip/invite-server-transaction.js';
import { getHeader, type SipRequest, type SipResponse } from '../sip/message.js';
import type { ServerTransaction } from '../sip/transaction.js';
import { ringAgent } from './agent-invite.js';
import type { B2buaDeps } from './b2bua.js';
import { ACK_TIMEOUT_MS, answerOtherInDialog, OUR_CONTACT, OUR_CONTACT_TEXT } from './bridge-identity.js';
import { CONTROL_TYPE, controlAction, NOT_JSON } from './info-control.js';
import { admitInternalCall, DigestChallengeError, isVisitorInvite, type InternalAdmission } from './internal-admission.js';
import { InternalCall, type InternalSide } from './internal-call.js';
import type { InternalEndReason } from './internal-call-state.js';
import { SipLeg } from './sip-leg.js';

/** What internal calls share with the visitor path (the B2BUA hands its own deps on). */
export interface InternalCallsDeps
  extends Pick<B2buaDeps, 'stack' | 'store' | 'digest' | 'registrar' | 'roster' | 'acd' | 'media' | 'holdAudio' | 'clock' | 'log'> {
  /** The visitor path: an INVITE without credentials to a queue goes there (and gets the Bearer challenge). */
  visitorInvite(tx: ServerTransaction): void;
  /** How long the callee's softphone may ring before the caller gets 480. Default {@link INTERNAL_RING_TIMEOUT_MS}. */
  ringTimeoutMs?: number;
}

/** How long an internal call rings unanswered. */
export const INTERNAL_RING_TIMEOUT_MS = 45_000;

/** A final answer for the caller's INVITE while it is still pending. */
type Answer = { status: number; reason?: string };

const UNAVAILABLE: Answer = { status: 480, reason: 'Temporarily Unavailable' };

/**
 * Agent-to-agent calls through the bridge (click-to-dial to a colleague until a PSTN trunk exists): the
 * caller's INVITE is digest-authenticated like its REGISTER and admitted by `internal-admission.ts`; the
 * callee's newest registration is rung with {@link ringAgent}; its 180 goes on to the caller, its refusal
 * (486, 603, …) is passed back, and its 200 makes the bridge answer the caller's offer with its own media leg
 * and relay RTP between the two legs. CANCEL from the caller and BYE from either side end both legs; so does a
 * lost connection or the ring timeout. In-dialog INFO carries hold/unhold (the held agent hears hold audio) and
 * DTMF; internal calls are not recorded and write no CDR.
 *
 * The B2BUA hands every request to {@link InternalCalls.onRequest} (and ACK and CANCEL to their hooks) first;
 * each returns false for what is not an internal call's.
 */
export class InternalCalls {
  readonly #d: InternalCallsDeps;
  readonly #calls = new Set<InternalCall>();
  readonly #byInvite = new Map<ServerTransaction, InternalCall>();
  readonly #byDialog = new Map<string, InternalCall>();
  /** The one pending timer of each call: the ring timeout, then the wait for the caller's ACK. */
  readonly #timers = new Map<InternalCall, TimerHandle>();
  #closed = false;

  constructor(deps: InternalCallsDeps) {
    this.#d = deps;
    deps.stack.on('connectionClosed', (conn) => this.#connectionClosed(conn));
  }

  /** Internal calls not yet ended. */
  get activeCalls(): readonly InternalCall[] {
    return [...this.#calls];
  }

  /** Whether the agent is dialling, ringing for or talking on an internal call. */
  busy(agentId: string): boolean {
    return [...this.#calls].some((call) => call.involves(agentId));
  }

  // ---- hooks of the B2BUA ------------------------------------------------------------------------------

  /**
   * Takes an out-of-dialog INVITE that is not a visitor's (no bearer token), and in-dialog requests of an
   * internal call's legs. False for anything else.
   */
  onRequest(tx: ServerTransaction): boolean {
    const req = tx.request;
    if (req.to.params.tag != null) {
      const call = this.#byDialog.get(Dialog.idForRequest(req));
      if (!call) return false;
      this.#inDialog(tx, call);
      return true;
    }
    if (req.method !== 'INVITE' || this.#closed) return false;
    const auth = parseAuthorization(getHeader(req, 'authorization'));
    if (auth?.scheme === 'bearer') return false;
    void this.#route(tx, auth?.scheme === 'digest').catch((err) => this.#fail(tx, err));
    return true;
  }

  /** The ACK for our 200 to a caller. */
  onAck(ack: SipRequest): boolean {
    const call = this.#byDialog.get(Dialog.idForRequest(ack));
    if (!call) return false;
    if (call.callerLeg.dialog?.id === Dialog.idForRequest(ack)) this.#clearTimer(call);
    return true;
  }

  /** The caller gave up while the callee's softphone rang (the stack answered the CANCEL 200). */
  onCancel(inviteTx: InviteServerTransaction): boolean {
    const call = this.#byInvite.get(inviteTx);
    if (!call) return false;
    this.#d.log.info({ internalCallId: call.id }, 'internal call cancelled by the caller');
    this.#end(call, 'cancelled', { status: 487 });
    return true;
  }

  /** Ends every internal call (shutdown). Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const call of [...this.#calls]) this.#end(call, 'failed', UNAVAILABLE);
  }

  // ---- a new call ----------------------------------------------------------------------------------------

  async #route(tx: ServerTransaction, digest: boolean): Promise<void> {
    if (!digest && (await isVisitorInvite(tx.request, this.#d.store))) return this.#d.visitorInvite(tx);
    await this.#invite(tx);
  }

  async #invite(tx: ServerTransaction): Promise<void> {
    const d = this.#d;
    const req = tx.request;
    let admission: InternalAdmission;
    try {
      admission = await admitInternalCall(req, d);
    } catch (error) {
      if (!(error instanceof SipError)) throw error;
      return this.#refuse(tx, error);
    }
    const { tenant, from, to } = admission;
    await d.acd.engine(tenant.id); // loaded, so the callee's ACD state below is known
    if (tx.answered) return; // CANCELled meanwhile: the B2BUA answered 487
    const contentType = (getHeader(req, 'content-type') ?? '').toLowerCase();
    if (!contentType.startsWith('application/sdp') || !/^m=audio /m.test(req.body)) {
      return void tx.respond(488, { reason: 'Not Acceptable Here - an SDP offer with audio is required' });
    }
    if (this.busy(from.agentId)) return this.#refuse(tx, SipError.forbidden('Forbidden - finish your current call first'));
    if (!d.registrar.lookup(to.aor).some((b) => !b.connection.closed)) {
      return void tx.respond(480, { reason: `Temporarily Unavailable - ${to.username} is not signed in` });
    }
    const acdState = d.acd.agentView(tenant.id, to.agentId)?.state;
    if (acdState === 'reserved' || acdState === 'on-call' || this.busy(to.agentId)) {
      return void tx.respond(486, { reason: `Busy Here - ${to.username} is on a call` });
    }

    const call = new InternalCall({
      id: randomUUID(),
      tenantId: tenant.id,
      from,
      to,
      callerLeg: new SipLeg('uas', tx.connection, req.callId),
      callerInvite: tx,
      callerOffer: req.body,
      holdAudio: d.holdAudio,
      clock: d.clock,
    });
    this.#calls.add(call);
    this.#byInvite.set(tx, call);
    this.#busyInAcd(call, true);
    this.#setTimer(call, d.ringTimeoutMs ?? INTERNAL_RING_TIMEOUT_MS, () => {
      d.log.info({ internalCallId: call.id, callee: to.username }, 'internal call not answered');
      this.#end(call, 'no-answer', { status: 480, reason: 'Temporarily Unavailable - no answer' });
    });
    d.log.info({ internalCallId: call.id, caller: from.username, callee: to.username }, 'internal call dialing');
    void ringAgent(call, call.offer, d, {
      onRinging: () => this.#ringing(call),
      onAnswered: (leg, response, dialog) => void this.#answered(call, leg, response, dialog).catch((err) => {
        d.log.error({ err, internalCallId: call.id }, 'connecting an internal call failed');
        this.#end(call, 'failed', { status: 500 });
      }),
      onFailed: (why, detail) => this.#calleeFailed(call, why, detail),
    }).catch((err) => {
      d.log.error({ err, internalCallId: call.id }, 'ringing the callee failed');
      this.#calleeFailed(call, 'error', 'exception');
    });
  }

  #ringing(call: InternalCall): void {
    if (call.state !== 'dialing') return;
    call.ringing();
    call.callerInvite.respond(180, { headers: { Contact: OUR_CONTACT_TEXT } });
    call.callerLeg.transition('early');
  }

  /** The callee answered (already ACKed): set up both media legs, relay, and answer the caller. */
  async #answered(call: InternalCall, leg: SipLeg, response: SipResponse, dialog: Dialog): Promise<void> {
    const d = this.#d;
    const calleeMedia = call.calleeMedia;
    if (call.ended || call.offer.withdrawn || !calleeMedia) return leg.hangUp(d.stack);
    this.#byDialog.set(dialog.id, call); // the callee's BYE is matched from now on
    try {
      await calleeMedia.acceptAnswer(response.body);
    } catch (error) {
      d.log.warn({ err: error, internalCallId: call.id }, 'callee SDP answer not usable');
      return this.#end(call, 'failed', { status: 480, reason: 'Temporarily Unavailable - the callee has no usable audio' });
    }
    if (call.ended) return;
    let media: { leg: MediaLeg; answerSdp: string };
    try {
      media = await MediaLeg.answer(call.callerOffer, d.media, d.clock);
    } catch (error) {
      d.log.warn({ err: error, internalCallId: call.id }, 'caller SDP not usable');
      return this.#end(call, 'failed', { status: 488, reason: 'Not Acceptable Here - no usable audio' });
    }
    if (call.ended) return void media.leg.close();
    call.connect(media.leg);
    this.#byInvite.delete(call.callerInvite);
    const ok = call.callerInvite.respond(200, {
      body: media.answerSdp,
      contentType: 'application/sdp',
      headers: { Contact: OUR_CONTACT_TEXT },
    });
    const callerDialog = Dialog.fromUas(call.callerInvite.request, ok, call.callerLeg.connection, { localContact: OUR_CONTACT });
    call.callerLeg.setDialog(callerDialog);
    call.callerLeg.transition('confirmed');
    this.#byDialog.set(callerDialog.id, call);
    // The caller ACKs within 64·T1 or the call is torn down (RFC 3261 §13.3.1.4).
    this.#setTimer(call, ACK_TIMEOUT_MS, () => {
      d.log.warn({ internalCallId: call.id }, 'caller never ACKed the 200 OK');
      this.#end(call, 'failed');
    });
    media.leg.on('failed', () => this.#end(call, 'failed'));
    calleeMedia.on('failed', () => this.#end(call, 'failed'));
    d.log.info({ internalCallId: call.id, caller: call.from.username, callee: call.to.username }, 'internal call connected');
  }

  /** The callee did not take the call: its final answer goes back to the caller; a failure becomes 480. */
  #calleeFailed(call: InternalCall, why: 'rejected' | 'error', detail: string): void {
    if (call.ended || call.offer.withdrawn) return;
    this.#d.log.info({ internalCallId: call.id, callee: call.to.username, why, detail }, 'callee did not take the internal call');
    this.#end(call, why === 'rejected' ? 'refused' : 'failed', why === 'rejected' ? passedBack(Number(detail)) : UNAVAILABLE);
  }

  // ---- in-dialog requests --------------------------------------------------------------------------------

  #inDialog(tx: ServerTransaction, call: InternalCall): void {
    const req = tx.request;
    const id = Dialog.idForRequest(req);
    const side: InternalSide = call.callerLeg.dialog?.id === id ? 'caller' : 'callee';
    const leg = call.legOf(side);
    const dialog = leg?.dialog;
    if (!leg || !dialog) return void tx.respond(481);
    const check = dialog.receiveRequest(req);
    if (!check.ok) return void tx.respond(check.status, { reason: check.reason });
    switch (req.method) {
      case 'BYE':
        tx.respond(200);
        dialog.terminate();
        leg.transition('terminated');
        return this.#end(call, call.answeredAt === null ? 'failed' : 'completed', UNAVAILABLE);
      case 'INFO':
        return this.#info(tx, call, side);
      default:
        return answerOtherInDialog(tx);
    }
  }

  /**
   * INFO (RFC 6086) from one agent: our control package (`hold`/`unhold`; recording actions get 409, internal
   * calls are not recorded), or DTMF, which is passed on to the other agent.
   */
  #info(tx: ServerTransaction, call: InternalCall, side: InternalSide): void {
    const req = tx.request;
    const type = (getHeader(req, 'content-type') ?? '').toLowerCase();
    if (type.startsWith(CONTROL_TYPE)) {
      const action = controlAction(tx);
      if (action === NOT_JSON) return;
      if (action === 'hold' || action === 'unhold') {
        return void (call.setHeld(side, action === 'hold')
          ? tx.respond(200)
          : tx.respond(409, { reason: 'Conflict - the call is not connected' }));
      }
      if (action === 'pause-recording' || action === 'resume-recording') {
        return void tx.respond(409, { reason: 'Conflict - internal calls are not recorded' });
      }
      return void tx.respond(400, { reason: 'Bad Request - unknown action' });
    }
    tx.respond(200);
    if (type.startsWith('application/dtmf-relay')) {
      call.legOf(side === 'caller' ? 'callee' : 'caller')?.request(this.#d.stack, 'INFO', {
        body: req.body,
        contentType: 'application/dtmf-relay',
      });
    }
  }

  // ---- ending --------------------------------------------------------------------------------------------

  #connectionClosed(conn: SipConnection): void {
    for (const call of [...this.#calls]) {
      if (call.callerLeg.connection === conn || call.calleeLeg?.connection === conn) this.#end(call, 'failed', UNAVAILABLE);
    }
  }

  /**
   * End the call once on both legs: the caller's INVITE, while pending, gets `answer` (else BYE); the callee's
   * leg gets CANCEL while ringing, BYE once confirmed. A leg that already ended (its BYE came in) is left alone.
   */
  #end(call: InternalCall, reason: InternalEndReason, answer: Answer = UNAVAILABLE): void {
    if (call.ended) return;
    const { stack, log } = this.#d;
    if (!call.callerInvite.answered) call.callerInvite.respond(answer.status, answer.reason ? { reason: answer.reason } : {});
    else call.callerLeg.hangUp(stack);
    call.offer.withdrawn = true;
    const callee = call.calleeLeg;
    if (callee?.state === 'confirmed') callee.hangUp(stack);
    else callee?.cancelInvite();
    call.end(reason);
    this.#calls.delete(call);
    this.#byInvite.delete(call.callerInvite);
    for (const [id, c] of this.#byDialog) if (c === call) this.#byDialog.delete(id);
    this.#clearTimer(call);
    this.#busyInAcd(call, false);
    log.info({ internalCallId: call.id, reason }, 'internal call ended');
  }

  /** Both agents are out of queue routing while the call lasts (ACD `away`, reason `internal-call`). */
  #busyInAcd(call: InternalCall, busy: boolean): void {
    for (const agentId of [call.from.agentId, call.to.agentId]) {
      this.#d.acd.setBusyElsewhere(call.tenantId, agentId, busy).catch((err: unknown) => {
        this.#d.log.warn({ err, agentId }, 'could not tell the ACD about an internal call');
      });
    }
  }

  #refuse(tx: ServerTransaction, error: SipError): void {
    const challenge = error instanceof DigestChallengeError;
    if (!challenge) this.#d.log.warn({ uri: tx.request.uri, status: error.status, remote: tx.connection.remote }, 'internal INVITE refused');
    if (tx.answered) return;
    tx.respond(error.status, {
      reason: error.reason,
      ...(challenge ? { headers: { 'WWW-Authenticate': this.#d.digest.challenge(error.realm, error.stale) } } : {}),
    });
  }

  #fail(tx: ServerTransaction, err: unknown): void {
    this.#d.log.error({ err, method: 'INVITE' }, 'internal INVITE handling failed');
    const call = this.#byInvite.get(tx);
    if (call) return this.#end(call, 'failed', { status: 500 });
    if (!tx.answered) tx.respond(500, { reason: 'Server Internal Error' });
  }

  #setTimer(call: InternalCall, ms: number, fn: () => void): void {
    this.#clearTimer(call);
    this.#timers.set(call, this.#d.clock.setTimeout(() => {
      this.#timers.delete(call);
      fn();
    }, ms));
  }

  #clearTimer(call: InternalCall): void {
    this.#timers.get(call)?.cancel();
    this.#timers.delete(call);
  }
}

/**
 * What the caller hears of the callee's final answer: a refusal the caller can act on is passed on as it is
 * (486 and 600 busy, 603 decline, 480, 404, 410, 488, 5xx); anything else — a redirect, an authentication
 * challenge of the callee's own, 487 — is 480 Temporarily Unavailable.
 */
export function passedBack(status: number): Answer {
  if ([486, 600, 603, 480, 404, 410, 488].includes(status) || (status >= 500 && status < 600)) return { status };
  return UNAVAILABLE;
}
