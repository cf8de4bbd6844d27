import type { TokenService } from '../auth/tokens.js';
import type { Clock, TimerHandle } from '../clock.js';
import { SipError } from '../errors.js';
import { HoldPlayer } from '../media/hold-player.js';
import { MediaLeg } from '../media/media-leg.js';
import type { MediaOptions } from '../media/media-options.js';
import { MediaRelay } from '../media/media-relay.js';
import type { OpusPacket } from '../media/ogg-opus.js';
import type { SipConnection } from '../sip/connection.js';
import { Dialog } from '../sip/dialog.js';
import type { DigestAuthenticator } from '../sip/digest-auth.js';
import type { InviteServerTransaction } from '../sip/invite-server-transaction.js';
import { getHeader, type SipRequest, type SipResponse } from '../sip/message.js';
import type { Registrar } from '../sip/registrar.js';
import type { SipStack, SipUserAgentCore } from '../sip/sip-stack.js';
import type { ServerTransaction, SipLogger } from '../sip/transaction.js';
import type { Store } from '../store/store.js';
import type { AcdEffect, EndingAction } from '../acd/index.js';
import type { AcdService } from './acd-service.js';
import type { AgentRoster } from './agent-roster.js';
import { ringAgent } from './agent-invite.js';
import { handleRegister } from './agent-registration.js';
import { Call, type AgentOffer, type Caller } from './call.js';
import type { CallbackCall } from './callback-call.js';
import { CallbackDesk } from './callback-desk.js';
import { InternalCalls } from './internal-calls.js';
import type { CallRecordings } from './call-recordings.js';
import type { Outbox } from '../recordings/outbox/outbox.js';
import { afterCall } from './post-call.js';
import { handleInfo } from './info-control.js';
import { encodeHeaderValue, H } from './call-headers.js';
import { ACK_TIMEOUT_MS, ALLOW, answerOtherInDialog, OUR_CONTACT, OUR_CONTACT_TEXT, VOICEMAIL_MAX_SEC } from './bridge-identity.js';
import type { EndReason } from './call-state.js';
import { PendingWrites } from './pending-writes.js';
import { SipLeg } from './sip-leg.js';
import { deflect, tellQueueStatus } from './visitor-progress.js';
import { admitVisitor, bearerChallenge } from './visitor-admission.js';

export interface B2buaDeps {
  stack: SipStack;
  store: Store;
  tokens: TokenService;
  digest: DigestAuthenticator;
  registrar: Registrar;
  roster: AgentRoster;
  acd: AcdService;
  media: MediaOptions;
  holdAudio: readonly OpusPacket[];
  /** The recording-consent announcement for recorded queues with `recordingConsent` on (`media/opus-clip.ts`). */
  consentPrompt: readonly OpusPacket[];
  clock: Clock;
  log: SipLogger;
  /** Records connected calls when their queue says so (absent: nothing is recorded). */
  recordings?: CallRecordings;
  /** Delivers call logs and recordings to the tenant's CRM (absent: nothing is delivered). */
  outbox?: Outbox;
  hasCrm?(tenantId: string): Promise<boolean>;
  /** Called once per ended call (metrics). */
  onCallEnded?(call: Call, reason: EndReason): void;
}

type LegRef = { call: Call; leg: SipLeg };
/** RFC 3261 and its extensions: answered 405 (not allowed here) rather than 501 (unknown). */
const KNOWN_METHODS = new Set(['MESSAGE', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'REFER', 'UPDATE', 'PRACK', 'CANCEL', 'ACK']);

/**
 * The back-to-back user agent: the transaction user of the SIP stack. It authenticates agents' REGISTERs and
 * visitors' INVITEs, anchors each visitor call's media (183 + hold audio), offers it to agents in turn (INVITE,
 * ring timeout, 486/603 → next agent), bridges media when one answers (200 to the visitor), and tears both legs
 * down when either side leaves. It writes the CDR as the call moves.
 */
export class B2bua implements SipUserAgentCore {
  readonly #d: B2buaDeps;
  readonly #calls = new Map<string, Call>();
  readonly #byInvite = new Map<ServerTransaction, Call>();
  readonly #byDialog = new Map<string, LegRef>();
  /** Calls enqueued whose media is still being set up, with the effects that arrived for them meanwhile. */
  readonly #pending = new Map<string, AcdEffect[]>();
  readonly #callbackDesk: CallbackDesk;
  /** Agent-to-agent calls (click-to-dial to a colleague): sees every request, ACK and CANCEL first. */
  readonly internal: InternalCalls;
  /** Visitor calls that asked to keep their place: when the visitor hangs up the ACD keeps the call as a callback. */
  readonly #keptPlace = new Set<string>();
  /** Store writes in flight ({@link B2bua.flush} waits for them). */
  readonly #writes = new PendingWrites();
  /** Calls whose 200 OK to the visitor still waits for its ACK, with the give-up timer. */
  readonly #acks = new Map<Call, TimerHandle>();
  #closed = false;

  constructor(deps: B2buaDeps) {
    this.#d = deps;
    this.#callbackDesk = new CallbackDesk({
      ...deps,
      ringFailed: (tenantId, callId, agentId, why) => this.#ringFailed(tenantId, callId, agentId, why),
      track: (write) => this.#writes.track(write),
    });
    this.internal = new InternalCalls({
      ...deps,
      visitorInvite: (tx) => void this.#newInvite(tx).catch((err) => this.#fail(tx, err, 'INVITE')),
    });
    deps.acd.on('effects', (tenantId, effects) => this.#apply(tenantId, effects));
    deps.registrar.on('changed', (aor) => this.#registrationChanged(aor));
    deps.stack.on('connectionClosed', (conn) => this.#connectionClosed(conn));
  }

  /** Calls not yet ended. */
  get activeCalls(): readonly Call[] {
    return [...this.#calls.values()];
  }

  // ---- SipUserAgentCore ---------------------------------------------------------------------------------

  onRequest(tx: ServerTransaction): void {
    if (this.internal.onRequest(tx)) return;
    const req = tx.request;
    const inDialog = req.to.params.tag != null;
    if (inDialog) return this.#inDialog(tx);
    switch (req.method) {
      case 'REGISTER':
        return void handleRegister(tx, { ...this.#d, log: this.#d.log }).catch((err) => this.#fail(tx, err, 'REGISTER'));
      case 'OPTIONS':
        return void tx.respond(200, { headers: { Allow: ALLOW, Accept: 'application/sdp', Supported: 'outbound, path' } });
      case 'INVITE':
        return void this.#newInvite(tx).catch((err) => this.#fail(tx, err, 'INVITE'));
      case 'BYE':
      case 'INFO':
        return void tx.respond(481);
      default: // MESSAGE, SUBSCRIBE, NOTIFY, PUBLISH, REFER, UPDATE, PRACK, extensions
        return void tx.respond(KNOWN_METHODS.has(req.method) ? 405 : 501, { headers: { Allow: ALLOW } });
    }
  }

  onAck(ack: SipRequest): void {
    if (this.internal.onAck(ack)) return;
    const ref = this.#byDialog.get(Dialog.idForRequest(ack));
    if (ref && ref.leg === ref.call.visitor) {
      this.#acks.get(ref.call)?.cancel();
      this.#acks.delete(ref.call);
    }
  }

  onCancel(inviteTx: InviteServerTransaction): void {
    if (this.internal.onCancel(inviteTx)) return;
    const call = this.#byInvite.get(inviteTx);
    if (!call) {
      inviteTx.respond(487);
      return;
    }
    this.#visitorLeft(call, 'cancel');
  }

  // ---- visitor INVITE -----------------------------------------------------------------------------------

  async #newInvite(tx: ServerTransaction): Promise<void> {
    const req = tx.request;
    const d = this.#d;
    // The INVITE server transaction has already sent 100 Trying (RFC 3261 §17.2.1).
    let admission;
    try {
      admission = await admitVisitor(req, d.tokens, d.store);
    } catch (error) {
      if (!(error instanceof SipError)) throw error;
      d.log.warn({ uri: req.uri, status: error.status, remote: tx.connection.remote }, 'INVITE refused');
      const realm = req.uri.host;
      tx.respond(error.status, {
        reason: error.reason,
        ...(error.status === 401 ? { headers: { 'WWW-Authenticate': bearerChallenge(realm) } } : {}),
      });
      return;
    }
    const contentType = (getHeader(req, 'content-type') ?? '').toLowerCase();
    if (!req.body || !contentType.startsWith('application/sdp')) {
      tx.respond(488, { reason: 'Not Acceptable Here - an SDP offer is required' });
      return;
    }
    const { claims, tenant, queue } = admission;
    const offeredAt = d.clock.now();
    const cdrId = await d.store.calls.offered({
      tenantId: tenant.id,
      queueId: queue.id,
      callerName: claims.name,
      callerPhone: claims.phone,
      callerEmail: claims.email || null,
      sipCallId: req.callId,
      at: new Date(offeredAt),
    });
    if (tx.answered) return void this.#closeCdr(tenant.id, cdrId, 'abandoned');
    const engine = await d.acd.engine(tenant.id);
    const record = (queue.acdConfig['recording'] as { enabled?: unknown } | undefined)?.enabled !== false;
    const consentPrompt = record && queue.recordingConsent ? d.consentPrompt : undefined;
    if (tx.answered) return void this.#closeCdr(tenant.id, cdrId, 'abandoned');
    this.#pending.set(cdrId, []);
    const caller: Caller = { visitorId: claims.visitorId, name: claims.name, phone: claims.phone, email: claims.email };
    const decision = engine.enqueue({ callId: cdrId, queueId: queue.name, data: caller });
    const voicemail = decision.outcome === 'deflected' && decision.action.type === 'voicemail' ? decision : null;
    if (decision.outcome === 'deflected' && !voicemail) {
      this.#pending.delete(cdrId);
      deflect(tx, decision.action, decision.reason);
      d.acd.run(tenant.id, decision.effects);
      return void this.#closeCdr(tenant.id, cdrId, 'rejected');
    }
    d.acd.run(tenant.id, decision.effects); // this call's effects wait in #pending until it exists
    let media: { leg: MediaLeg; answerSdp: string };
    try {
      media = await MediaLeg.answer(req.body, d.media, d.clock);
    } catch (error) {
      d.log.warn({ err: error, callId: req.callId }, 'visitor SDP not usable');
      tx.respond(488, { reason: 'Not Acceptable Here - no usable audio' });
      this.#pending.delete(cdrId);
      d.acd.run(tenant.id, engine.ended(cdrId));
      return void this.#closeCdr(tenant.id, cdrId, 'failed');
    }
    if (tx.answered || tx.connection.closed) {
      void media.leg.close();
      this.#pending.delete(cdrId);
      d.acd.run(tenant.id, engine.ended(cdrId));
      return void this.#closeCdr(tenant.id, cdrId, 'abandoned');
    }
    const visitor = new SipLeg('uas', tx.connection, req.callId);
    const call = new Call({
      id: cdrId,
      tenantId: tenant.id,
      queueId: queue.id,
      queueName: decision.queueId,
      caller,
      visitor,
      visitorInvite: tx,
      visitorMedia: media.leg,
      visitorSdp: media.answerSdp,
      hold: new HoldPlayer(d.holdAudio, media.leg, d.clock),
      clock: d.clock,
      offeredAt,
      record,
      consentPrompt,
    });
    call.onListenerError((event, err) => d.log.error({ err, event, callId: call.id }, 'call listener threw'));
    this.#calls.set(call.id, call);
    this.#byInvite.set(tx, call);
    const progress = tx.respond(183, {
      body: media.answerSdp,
      contentType: 'application/sdp',
      headers: { Contact: OUR_CONTACT_TEXT },
    });
    const dialog = Dialog.fromUas(req, progress, tx.connection, { localContact: OUR_CONTACT });
    visitor.setDialog(dialog);
    visitor.transition('early');
    this.#byDialog.set(dialog.id, { call, leg: visitor });
    media.leg.on('failed', () => this.#visitorLeft(call, 'media'));
    if (voicemail) {
      this.#pending.delete(cdrId);
      d.acd.run(tenant.id, decision.effects);
      return this.#startVoicemail(call, voicemail.action, voicemail.reason);
    }
    call.queue();
    d.log.info({ callId: call.id, queue: queue.name, caller: claims.name }, 'call queued');
    // Effects for this call that arose while its media was being set up are carried out now.
    const later = this.#pending.get(cdrId) ?? [];
    this.#pending.delete(cdrId);
    this.#apply(tenant.id, later);
    this.#tellPositions(tenant.id);
  }

  // ---- carrying out the ACD's decisions -------------------------------------------------------------------

  #apply(tenantId: string, effects: readonly AcdEffect[]): void {
    for (const effect of effects) {
      const pending = this.#pending.get(effect.callId);
      if (pending) {
        pending.push(effect);
        continue;
      }
      const call = this.#calls.get(effect.callId);
      try {
        switch (effect.type) {
          case 'offer':
            if (effect.kind === 'callback') {
              this.#callbackDesk.offer(tenantId, effect.callId, effect.queueId, effect.data, effect.agentIds);
            } else if (!call) {
              this.#d.log.warn({ callId: effect.callId, kind: effect.kind }, 'offer for a call the bridge does not hold');
              for (const agentId of effect.agentIds) this.#ringFailed(tenantId, effect.callId, agentId, 'error');
            } else {
              for (const agentId of effect.agentIds) this.#offer(call, agentId);
            }
            break;
          case 'stop-ringing':
            for (const agentId of effect.agentIds) this.#withdraw(call ?? this.#callbackDesk.get(effect.callId), agentId);
            break;
          case 'queue-changed':
            if (call) call.queueName = effect.toQueueId;
            break;
          case 'deflect':
            if (call && !call.ended && (call.state === 'queued' || call.state === 'ringing')) {
              for (const offer of call.offers) this.#withdraw(call, offer.agent.agentId);
              if (effect.action.type === 'voicemail') {
                this.#startVoicemail(call, effect.action, effect.reason);
                break;
              }
              this.#byInvite.delete(call.visitorInvite);
              deflect(call.visitorInvite, effect.action, effect.reason);
              this.#end(call, 'rejected');
            }
            break;
          case 'callback-queued':
            break;
        }
      } catch (err) {
        this.#d.log.error({ err, effect: effect.type, callId: effect.callId }, 'carrying out an ACD effect failed');
      }
    }
    this.#tellPositions(tenantId);
  }

  /** Ring one agent for the call (the ACD chose it; several at once for ring-all). */
  #offer(call: Call, agentId: string): void {
    const d = this.#d;
    const agent = d.roster.get(agentId);
    if (!agent || call.ended) return this.#ringFailed(call.tenantId, call.id, agentId, 'error');
    const offer = call.addOffer(agent);
    void ringAgent(call, offer, d, {
      onRinging: () => {
        if (call.state === 'ringing') call.visitorInvite.respond(180, { headers: { Contact: OUR_CONTACT_TEXT } });
      },
      onAnswered: (leg, response, dialog) => void this.#agentAnswered(call, offer, leg, response, dialog),
      onFailed: (why, detail) => this.#offerFailed(call, offer, why, detail),
    }).catch((err) => {
      d.log.error({ err, callId: call.id }, 'ringing an agent failed');
      this.#offerFailed(call, offer, 'error', 'exception');
    });
  }

  /** The ACD withdrew an offer (ring timeout, answered elsewhere, caller left): CANCEL that agent's INVITE. */
  #withdraw(call: Call | CallbackCall | undefined, agentId: string): void {
    const offer = call?.offerTo(agentId);
    if (!call || !offer) return;
    offer.withdrawn = true;
    if (offer.leg?.state === 'confirmed') offer.leg.hangUp(this.#d.stack);
    else offer.leg?.cancelInvite();
    call.removeOffer(offer);
  }

  /** An agent did not take its offer (486/603, failure): tell the ACD unless it had withdrawn the offer itself. */
  #offerFailed(call: Call, offer: AgentOffer, why: 'rejected' | 'error', detail: string): void {
    if (call.offerTo(offer.agent.agentId) !== offer) return;
    call.removeOffer(offer);
    this.#d.log.info({ callId: call.id, agent: offer.agent.username, why, detail }, 'agent did not take the call');
    if (!offer.withdrawn && !call.ended) this.#ringFailed(call.tenantId, call.id, offer.agent.agentId, why);
  }

  #ringFailed(tenantId: string, callId: string, agentId: string, why: 'rejected' | 'error' | 'no-answer'): void {
    const engine = this.#d.acd.loaded(tenantId);
    if (engine) this.#d.acd.run(tenantId, engine.ringFailed(callId, agentId, why));
  }

  async #agentAnswered(call: Call, offer: AgentOffer, leg: SipLeg, response: SipResponse, dialog: Dialog): Promise<void> {
    const d = this.#d;
    this.#byDialog.set(dialog.id, { call, leg });
    const engine = d.acd.loaded(call.tenantId);
    const media = offer.media;
    if (!engine || call.ended || call.offerTo(offer.agent.agentId) !== offer || offer.withdrawn || !media) {
      return leg.hangUp(d.stack);
    }
    try {
      await media.acceptAnswer(response.body);
    } catch (error) {
      d.log.warn({ err: error, callId: call.id }, 'agent SDP answer not usable');
      leg.hangUp(d.stack);
      return this.#offerFailed(call, offer, 'error', 'sdp');
    }
    if (call.ended || call.offerTo(offer.agent.agentId) !== offer || offer.withdrawn) return leg.hangUp(d.stack);
    let effects: AcdEffect[];
    try {
      effects = engine.answered(call.id, offer.agent.agentId);
    } catch (error) {
      // The offer timed out in the ACD a moment before the 200 arrived: this agent does not get the call.
      d.log.info({ err: error, callId: call.id }, 'agent answered a withdrawn offer');
      offer.withdrawn = true;
      call.removeOffer(offer);
      return leg.hangUp(d.stack);
    }
    call.connect(offer, new MediaRelay(call.visitorMedia, media));
    d.acd.run(call.tenantId, effects); // stop-ringing for the other agents of a ring-all
    media.on('failed', () => this.#legLeft(call, leg, 'failed'));
    this.#answerVisitor(call, { [H.agent]: encodeHeaderValue(offer.agent.displayName) });
    if (call.record && d.recordings) {
      void this.#writes.track(d.recordings.start(call).catch((err) => d.log.error({ err, callId: call.id }, 'could not start recording')));
    }
    const agentId = offer.agent.agentId;
    this.#cdr(call, () => d.store.calls.answered(call.tenantId, call.id, agentId, new Date(call.answeredAt!)));
    d.log.info({ callId: call.id, agent: offer.agent.username }, 'call connected');
  }

  /** Answer the visitor's INVITE (200 with our SDP) and expect its ACK within 64·T1 (RFC 3261 §13.3.1.4). */
  #answerVisitor(call: Call, headers: Record<string, string>): void {
    const d = this.#d;
    this.#byInvite.delete(call.visitorInvite);
    const ok = call.visitorInvite.respond(200, {
      body: call.visitorSdp,
      contentType: 'application/sdp',
      headers: { Contact: OUR_CONTACT_TEXT, ...headers },
    });
    call.visitor.dialog?.confirm(ok);
    call.visitor.transition('confirmed');
    this.#acks.set(
      call,
      d.clock.setTimeout(() => {
        this.#acks.delete(call);
        d.log.warn({ callId: call.id }, 'visitor never ACKed the 200 OK');
        this.#visitorLeft(call, 'media');
      }, ACK_TIMEOUT_MS),
    );
  }

  /**
   * Voicemail deflection: answer the caller, record only its leg (channel 1) for up to `maxSeconds`, then hang
   * up; the recording is delivered like a call recording, with the call log's outcome `voicemail`.
   */
  #startVoicemail(call: Call, action: EndingAction, reason: string): void {
    const d = this.#d;
    call.toVoicemail();
    const greeting = action.type === 'voicemail' ? action.greeting : undefined;
    const info = { reason, maxSeconds: VOICEMAIL_MAX_SEC, ...(greeting ? { greeting } : {}) };
    this.#answerVisitor(call, { [H.voicemail]: encodeHeaderValue(JSON.stringify(info)) });
    if (d.recordings) {
      void this.#writes.track(d.recordings.start(call, { voicemail: true }).catch((err) => d.log.error({ err, callId: call.id }, 'could not start voicemail')));
    }
    const limit = d.clock.setTimeout(() => {
      if (call.ended) return;
      call.visitor.hangUp(d.stack);
      this.#end(call, 'completed');
    }, VOICEMAIL_MAX_SEC * 1000);
    call.once('ended', () => limit.cancel());
    d.log.info({ callId: call.id, reason }, 'call sent to voicemail');
  }

  /** Tell each waiting caller of the tenant its place in line and expected wait when they changed (182 Queued). */
  #tellPositions(tenantId: string): void {
    const engine = this.#d.acd.loaded(tenantId);
    if (!engine) return;
    for (const call of this.#calls.values()) {
      if (call.tenantId === tenantId) tellQueueStatus(call, engine.waitInfo(call.id), OUR_CONTACT_TEXT);
    }
  }

  /** A binding appeared or went: the ACD routes to an agent only while it is registered. */
  #registrationChanged(aor: string): void {
    const agent = this.#d.roster.byAor(aor);
    if (!agent) return;
    const registered = this.#d.registrar.lookup(aor).some((b) => !b.connection.closed);
    void this.#d.acd.setRegistered(agent.tenantId, agent.agentId, registered).catch((err) =>
      this.#d.log.error({ err, agent: agent.username }, 'ACD presence update failed'),
    );
  }

  // ---- in-dialog requests ------------------------------------------------------------------------------

  #inDialog(tx: ServerTransaction): void {
    const req = tx.request;
    if (this.#callbackDesk.inDialog(tx)) return;
    const ref = this.#byDialog.get(Dialog.idForRequest(req));
    if (!ref || ref.leg.dialog === null) return void tx.respond(481);
    const check = ref.leg.dialog.receiveRequest(req);
    if (!check.ok) return void tx.respond(check.status, { reason: check.reason });
    const { call, leg } = ref;
    switch (req.method) {
      case 'BYE':
        tx.respond(200);
        leg.dialog?.terminate();
        leg.transition('terminated');
        return this.#legLeft(call, leg, 'bye');
      case 'INFO':
        return handleInfo(tx, call, leg, this.#d);
      default:
        return answerOtherInDialog(tx);
    }
  }

  // ---- leaving -----------------------------------------------------------------------------------------

  /** The visitor cancelled, hung up, lost media or its connection. */
  #visitorLeft(call: Call, how: 'cancel' | 'bye' | 'connection' | 'media'): void {
    if (call.ended) return;
    const wasConnected = call.state === 'connected' || call.state === 'held' || call.state === 'voicemail';
    if (!wasConnected) {
      call.visitorInvite.respond(how === 'media' ? 480 : 487);
    } else {
      if (how !== 'bye') call.visitor.hangUp(this.#d.stack);
      call.agentLeg?.hangUp(this.#d.stack);
    }
    this.#end(call, how === 'media' ? 'failed' : wasConnected ? 'completed' : 'abandoned');
  }

  /** A leg of a call ended (BYE received, media failed, connection lost). */
  #legLeft(call: Call, leg: SipLeg, how: 'bye' | 'failed' | 'connection'): void {
    if (leg === call.visitor) return this.#visitorLeft(call, how === 'bye' ? 'bye' : how === 'failed' ? 'media' : 'connection');
    if (call.ended) return;
    const offer = call.offers.find((o) => o.leg === leg);
    if (offer) return this.#offerFailed(call, offer, 'error', how);
    if (leg !== call.agentLeg) return;
    call.visitor.hangUp(this.#d.stack);
    this.#end(call, how === 'bye' ? 'completed' : 'failed');
  }

  #connectionClosed(conn: SipConnection): void {
    this.#callbackDesk.connectionClosed(conn);
    for (const call of [...this.#calls.values()]) {
      if (call.visitor.connection === conn) this.#visitorLeft(call, 'connection');
      else if (call.agentLeg?.connection === conn) this.#legLeft(call, call.agentLeg, 'connection');
      else for (const offer of call.offers) if (offer.leg?.connection === conn) this.#offerFailed(call, offer, 'error', 'connection');
    }
  }

  /** Close the call once: withdraw any ringing offers, tell the ACD, write the CDR. */
  #end(call: Call, reason: EndReason): void {
    const offers = call.offers;
    if (!call.end(reason)) return;
    const d = this.#d;
    for (const offer of offers) {
      offer.withdrawn = true;
      if (offer.leg?.state === 'confirmed') offer.leg.hangUp(d.stack);
      else offer.leg?.cancelInvite();
    }
    this.#calls.delete(call.id);
    this.#byInvite.delete(call.visitorInvite);
    for (const [id, ref] of this.#byDialog) if (ref.call === call) this.#byDialog.delete(id);
    this.#acks.get(call)?.cancel();
    this.#acks.delete(call);
    this.#cdr(call, () => d.store.calls.ended(call.tenantId, call.id, reason, new Date(d.clock.now())));
    d.log.info({ callId: call.id, reason }, 'call ended');
    void this.#writes.track(
      afterCall(call, { store: d.store, log: d.log, recordings: d.recordings, outbox: d.outbox, hasCrm: d.hasCrm ?? (async () => false) }),
    );
    d.onCallEnded?.(call, reason);
    const engine = d.acd.loaded(call.tenantId);
    // A caller who asked to keep its place stays in line in the ACD, now as a callback.
    if (this.#keptPlace.delete(call.id) && !call.answeredAt) return;
    if (engine) d.acd.run(call.tenantId, engine.ended(call.id)); // unknown to the ACD (deflected): a no-op
  }

  // ---- callbacks ---------------------------------------------------------------------------------------

  /**
   * "Keep my place and call me back" for the visitor call with this SIP Call-ID: the ACD keeps its place, and
   * when its turn comes it is offered to an agent as a callback. False when no such waiting call exists.
   */
  keepPlace(tenantId: string, visitorId: string, sipCallId: string, phone: string | null): boolean {
    const call = [...this.#calls.values()].find(
      (c) => c.tenantId === tenantId && c.visitor.callId === sipCallId && c.caller.visitorId === visitorId,
    );
    const engine = this.#d.acd.loaded(tenantId);
    if (!call || !engine || call.state !== 'queued') return false; // not while an agent's phone rings
    if (phone) call.caller.phone = phone;
    this.#d.acd.run(tenantId, engine.keepPlaceForCallback(call.id));
    this.#keptPlace.add(call.id);
    return true;
  }

  // ---- helpers -----------------------------------------------------------------------------------------

  /** CDR writes for one call run in order; a failure is logged, never thrown into signalling. */
  #cdr(call: Call, write: () => Promise<unknown>): void {
    call.cdr = this.#writes.track(call.cdr.then(write).catch((err) => this.#d.log.error({ err, callId: call.id }, 'CDR write failed')));
  }

  #closeCdr(tenantId: string, id: string, reason: EndReason): Promise<unknown> {
    const write = this.#d.store.calls.ended(tenantId, id, reason, new Date(this.#d.clock.now()));
    return this.#writes.track(write.catch((err) => this.#d.log.error({ err, callId: id }, 'CDR write failed')));
  }

  #fail(tx: ServerTransaction, err: unknown, what: string): void {
    this.#d.log.error({ err, method: what }, 'request handling failed');
    if (!tx.answered) tx.respond(500, { reason: 'Server Internal Error' });
  }

  /** Wait for every pending CDR write (tests, shutdown). */
  flush(): Promise<void> {
    return this.#writes.flush();
  }

  /** End every call (shutdown): legs get BYE/487, CDRs are closed as failed. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.internal.close();
    for (const call of [...this.#calls.values()]) {
      if (call.state === 'connected' || call.state === 'held') {
        call.visitor.hangUp(this.#d.stack);
        call.agentLeg?.hangUp(this.#d.stack);
      } else {
        call.visitorInvite.respond(480);
      }
      this.#end(call, 'failed');
    }
    await this.flush();
  }
}
