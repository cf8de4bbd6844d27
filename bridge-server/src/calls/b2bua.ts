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
import { getHeader, type NameAddr, type SipRequest, type SipResponse } from '../sip/message.js';
import type { Registrar } from '../sip/registrar.js';
import type { SipStack, SipUserAgentCore } from '../sip/sip-stack.js';
import type { ServerTransaction, SipLogger } from '../sip/transaction.js';
import type { Store } from '../store/store.js';
import type { AgentDirectory, AgentEntry } from './agent-directory.js';
import { ringAgent } from './agent-invite.js';
import { handleRegister } from './agent-registration.js';
import { Call } from './call.js';
import { encodeHeaderValue, H } from './call-headers.js';
import type { EndReason } from './call-state.js';
import { SipLeg } from './sip-leg.js';
import { admitVisitor, bearerChallenge } from './visitor-admission.js';
import { WaitingList } from './waiting-list.js';

export interface B2buaDeps {
  stack: SipStack;
  store: Store;
  tokens: TokenService;
  digest: DigestAuthenticator;
  registrar: Registrar;
  agents: AgentDirectory;
  media: MediaOptions;
  holdAudio: readonly OpusPacket[];
  clock: Clock;
  log: SipLogger;
  /** Called once per ended call (metrics). */
  onCallEnded?(call: Call, reason: EndReason): void;
}

/** 64·T1 (RFC 3261 §13.3.1.4, Timer H's value). */
const ACK_TIMEOUT_MS = 64 * 500;
const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REGISTER';
const CONTROL_TYPE = 'application/vnd.sambung.control+json';
/** Our Contact: in-dialog requests come back over the same WebSocket (RFC 7118 §5), the host is not used. */
const OUR_CONTACT: NameAddr = {
  displayName: null,
  uri: { scheme: 'sip', user: 'sambung', password: null, host: 'sambung.invalid', port: null, params: { transport: 'ws' }, headers: {} },
  params: {},
};
const OUR_CONTACT_TEXT = '<sip:sambung@sambung.invalid;transport=ws>';

type LegRef = { call: Call; leg: SipLeg };

/**
 * The back-to-back user agent: the transaction user of the SIP stack. It authenticates agents' REGISTERs and
 * visitors' INVITEs, anchors each visitor call's media (183 + hold audio), offers it to agents in turn (INVITE,
 * ring timeout, 486/603 → next agent), bridges media when one answers (200 to the visitor), and tears both legs
 * down when either side leaves. It writes the CDR as the call moves.
 */
export class B2bua implements SipUserAgentCore {
  readonly #d: B2buaDeps;
  readonly #calls = new Set<Call>();
  readonly #byInvite = new Map<ServerTransaction, Call>();
  readonly #byDialog = new Map<string, LegRef>();
  readonly #waiting = new WaitingList();
  /** Calls whose 200 OK to the visitor still waits for its ACK, with the give-up timer. */
  readonly #acks = new Map<Call, TimerHandle>();
  #closed = false;

  constructor(deps: B2buaDeps) {
    this.#d = deps;
    deps.agents.on('changed', () => this.#route());
    deps.registrar.on('changed', () => this.#route());
    deps.stack.on('connectionClosed', (conn) => this.#connectionClosed(conn));
  }

  /** Calls not yet ended. */
  get activeCalls(): readonly Call[] {
    return [...this.#calls];
  }

  // ---- SipUserAgentCore ---------------------------------------------------------------------------------

  onRequest(tx: ServerTransaction): void {
    const req = tx.request;
    const inDialog = req.to.params.tag != null;
    if (inDialog) return this.#inDialog(tx);
    switch (req.method) {
      case 'REGISTER':
        void handleRegister(tx, { ...this.#d, log: this.#d.log }).catch((err) => this.#fail(tx, err, 'REGISTER'));
        return;
      case 'OPTIONS':
        tx.respond(200, { headers: { Allow: ALLOW, Accept: 'application/sdp', Supported: 'outbound, path' } });
        return;
      case 'INVITE':
        void this.#newInvite(tx).catch((err) => this.#fail(tx, err, 'INVITE'));
        return;
      case 'BYE':
      case 'INFO':
        tx.respond(481);
        return;
      case 'MESSAGE':
      case 'SUBSCRIBE':
      case 'NOTIFY':
      case 'PUBLISH':
      case 'REFER':
      case 'UPDATE':
      case 'PRACK':
        tx.respond(405, { headers: { Allow: ALLOW } });
        return;
      default:
        tx.respond(501, { headers: { Allow: ALLOW } });
    }
  }

  onAck(ack: SipRequest): void {
    const ref = this.#byDialog.get(Dialog.idForRequest(ack));
    if (ref && ref.leg === ref.call.visitor) {
      this.#acks.get(ref.call)?.cancel();
      this.#acks.delete(ref.call);
    }
  }

  onCancel(inviteTx: InviteServerTransaction): void {
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
    let media: { leg: MediaLeg; answerSdp: string };
    try {
      media = await MediaLeg.answer(req.body, d.media, d.clock);
    } catch (error) {
      d.log.warn({ err: error, callId: req.callId }, 'visitor SDP not usable');
      tx.respond(488, { reason: 'Not Acceptable Here - no usable audio' });
      return void this.#closeCdr(tenant.id, cdrId, 'failed');
    }
    if (tx.answered || tx.connection.closed) {
      void media.leg.close();
      return void this.#closeCdr(tenant.id, cdrId, 'abandoned');
    }
    const visitor = new SipLeg('uas', tx.connection, req.callId);
    const call = new Call({
      id: cdrId,
      tenantId: tenant.id,
      queueId: queue.id,
      queueName: queue.name,
      ringTimeoutSec: queue.ringTimeoutSec,
      caller: { visitorId: claims.visitorId, name: claims.name, phone: claims.phone, email: claims.email },
      visitor,
      visitorInvite: tx,
      visitorMedia: media.leg,
      visitorSdp: media.answerSdp,
      hold: new HoldPlayer(d.holdAudio, media.leg, d.clock),
      clock: d.clock,
      offeredAt,
    });
    call.onListenerError((event, err) => d.log.error({ err, event, callId: call.id }, 'call listener threw'));
    this.#calls.add(call);
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
    call.queue();
    this.#waiting.push(call);
    d.log.info({ callId: call.id, queue: queue.name, caller: claims.name }, 'call queued');
    this.#route();
  }

  // ---- routing -----------------------------------------------------------------------------------------

  /** Offer waiting calls, oldest first per queue, to free agents; tell the others their position. */
  #route(): void {
    if (this.#closed) return;
    const d = this.#d;
    for (const call of this.#waiting.all()) {
      const agent = d.agents.pick(
        call.tenantId,
        call.queueId,
        (a) => d.registrar.lookup(a.aor).some((b) => !b.connection.closed),
        (a) => call.recentlyDeclined(a.agentId),
      );
      if (agent) this.#ring(call, agent);
    }
    for (const [position, call] of this.#waiting.positions()) {
      if (call.lastPosition === position) continue;
      call.lastPosition = position;
      call.visitorInvite.respond(182, { reason: 'Queued', headers: { Contact: OUR_CONTACT_TEXT, [H.queuePosition]: String(position) } });
    }
  }

  #ring(call: Call, agent: AgentEntry): void {
    const d = this.#d;
    this.#waiting.remove(call);
    d.agents.reserve(agent.agentId, call.id);
    call.ring(agent, () => this.#agentDidNotTake(call, 'no-answer'));
    call.lastPosition = 0;
    void ringAgent(call, agent, {
      stack: d.stack,
      registrar: d.registrar,
      media: d.media,
      clock: d.clock,
      contact: OUR_CONTACT,
      onRinging: () => {
        if (call.state === 'ringing') call.visitorInvite.respond(180, { headers: { Contact: OUR_CONTACT_TEXT } });
      },
      onAnswered: (leg, response, dialog) => this.#agentAnswered(call, leg, response, dialog),
      onFailed: (leg, why) => {
        if (leg === null || call.agentLeg === leg) this.#agentDidNotTake(call, why);
      },
    }).catch((err) => {
      d.log.error({ err, callId: call.id }, 'ringing an agent failed');
      this.#agentDidNotTake(call, 'error');
    });
  }

  async #agentAnswered(call: Call, leg: SipLeg, response: SipResponse, dialog: Dialog): Promise<void> {
    const d = this.#d;
    this.#byDialog.set(dialog.id, { call, leg });
    const media = call.agentMedia;
    if (call.state !== 'ringing' || call.agentLeg !== leg || !media) return leg.hangUp(d.stack);
    try {
      await media.acceptAnswer(response.body);
    } catch (error) {
      d.log.warn({ err: error, callId: call.id }, 'agent SDP answer not usable');
      leg.hangUp(d.stack);
      return this.#agentDidNotTake(call, 'error');
    }
    if (call.state !== 'ringing' || call.agentLeg !== leg) return leg.hangUp(d.stack);
    const agent = call.agent!;
    call.connect(new MediaRelay(call.visitorMedia, media));
    media.on('failed', () => this.#legLeft(call, leg, 'failed'));
    this.#byInvite.delete(call.visitorInvite);
    const ok = call.visitorInvite.respond(200, {
      body: call.visitorSdp,
      contentType: 'application/sdp',
      headers: { Contact: OUR_CONTACT_TEXT, [H.agent]: encodeHeaderValue(agent.displayName) },
    });
    call.visitor.dialog?.confirm(ok);
    call.visitor.transition('confirmed');
    // RFC 3261 §13.3.1.4: no ACK for our 2xx within 64·T1 → the session is not up; end it with BYE.
    this.#acks.set(
      call,
      d.clock.setTimeout(() => {
        this.#acks.delete(call);
        d.log.warn({ callId: call.id }, 'visitor never ACKed the 200 OK');
        this.#visitorLeft(call, 'media');
      }, ACK_TIMEOUT_MS),
    );
    this.#cdr(call, () => d.store.calls.answered(call.tenantId, call.id, agent.agentId, new Date(call.answeredAt!)));
    d.log.info({ callId: call.id, agent: agent.username }, 'call connected');
  }

  /** The ringing agent rejected, missed or failed the call: back to the head of its queue. */
  #agentDidNotTake(call: Call, why: string): void {
    if (call.state !== 'ringing') return;
    const leg = call.agentLeg;
    const agent = call.requeue();
    if (leg && leg.state !== 'terminated') {
      if (leg.state === 'confirmed') leg.hangUp(this.#d.stack);
      else leg.cancelInvite();
    }
    this.#d.log.info({ callId: call.id, agent: agent?.username, why }, 'agent did not take the call');
    if (agent) this.#d.agents.release(agent.agentId, call.id);
    this.#waiting.unshift(call);
    this.#route();
  }

  // ---- in-dialog requests ------------------------------------------------------------------------------

  #inDialog(tx: ServerTransaction): void {
    const req = tx.request;
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
        return this.#info(tx, call, leg);
      case 'INVITE':
      case 'UPDATE':
        return void tx.respond(488, { reason: 'Not Acceptable Here - re-negotiation is not supported' });
      case 'OPTIONS':
        return void tx.respond(200, { headers: { Allow: ALLOW } });
      default:
        return void tx.respond(405, { headers: { Allow: ALLOW } });
    }
  }

  /** INFO: agent hold/resume (our control package); DTMF from the visitor is passed on to the agent. */
  #info(tx: ServerTransaction, call: Call, leg: SipLeg): void {
    const req = tx.request;
    const type = (getHeader(req, 'content-type') ?? '').toLowerCase();
    if (leg !== call.visitor && type.startsWith(CONTROL_TYPE)) {
      let action: unknown;
      try {
        action = (JSON.parse(req.body) as { action?: unknown }).action;
      } catch {
        return void tx.respond(400, { reason: 'Bad Request - body is not JSON' });
      }
      if (action !== 'hold' && action !== 'unhold') return void tx.respond(400, { reason: 'Bad Request - unknown action' });
      call.setHeld(action === 'hold');
      return void tx.respond(200);
    }
    tx.respond(200);
    if (leg === call.visitor && type.startsWith('application/dtmf-relay')) {
      call.agentLeg?.request(this.#d.stack, 'INFO', { body: req.body, contentType: 'application/dtmf-relay' });
    }
  }

  // ---- leaving -----------------------------------------------------------------------------------------

  /** The visitor cancelled, hung up, lost media or its connection. */
  #visitorLeft(call: Call, how: 'cancel' | 'bye' | 'connection' | 'media'): void {
    if (call.ended) return;
    const wasConnected = call.state === 'connected' || call.state === 'held';
    if (!wasConnected) {
      call.visitorInvite.respond(how === 'media' ? 480 : 487);
      const agentLeg = call.agentLeg;
      if (agentLeg?.state === 'confirmed') agentLeg.hangUp(this.#d.stack);
      else agentLeg?.cancelInvite();
    } else {
      if (how !== 'bye') call.visitor.hangUp(this.#d.stack);
      call.agentLeg?.hangUp(this.#d.stack);
    }
    this.#end(call, how === 'media' ? 'failed' : wasConnected ? 'completed' : 'abandoned');
  }

  /** A leg of a call ended (BYE received, media failed, connection lost). */
  #legLeft(call: Call, leg: SipLeg, how: 'bye' | 'failed' | 'connection'): void {
    if (leg === call.visitor) return this.#visitorLeft(call, how === 'bye' ? 'bye' : how === 'failed' ? 'media' : 'connection');
    if (call.state === 'ringing') return this.#agentDidNotTake(call, how);
    if (call.ended) return;
    call.visitor.hangUp(this.#d.stack);
    this.#end(call, how === 'bye' ? 'completed' : 'failed');
  }

  #connectionClosed(conn: SipConnection): void {
    for (const call of [...this.#calls]) {
      if (call.visitor.connection === conn) this.#visitorLeft(call, 'connection');
      else if (call.agentLeg?.connection === conn) this.#legLeft(call, call.agentLeg, 'connection');
    }
  }

  #end(call: Call, reason: EndReason): void {
    if (!call.end(reason)) return;
    const d = this.#d;
    this.#calls.delete(call);
    this.#waiting.remove(call);
    this.#byInvite.delete(call.visitorInvite);
    for (const [id, ref] of this.#byDialog) if (ref.call === call) this.#byDialog.delete(id);
    this.#acks.get(call)?.cancel();
    this.#acks.delete(call);
    const agent = call.agent;
    this.#cdr(call, () => d.store.calls.ended(call.tenantId, call.id, reason, new Date(d.clock.now())));
    d.log.info({ callId: call.id, reason }, 'call ended');
    d.onCallEnded?.(call, reason);
    if (agent) d.agents.release(agent.agentId, call.id);
    this.#route();
  }

  // ---- helpers -----------------------------------------------------------------------------------------

  /** CDR writes for one call run in order; a failure is logged, never thrown into signalling. */
  #cdr(call: Call, write: () => Promise<unknown>): void {
    call.cdr = call.cdr.then(write).catch((err) => this.#d.log.error({ err, callId: call.id }, 'CDR write failed'));
  }

  #closeCdr(tenantId: string, id: string, reason: EndReason): Promise<unknown> {
    return this.#d.store.calls.ended(tenantId, id, reason, new Date(this.#d.clock.now())).catch((err) =>
      this.#d.log.error({ err, callId: id }, 'CDR write failed'),
    );
  }

  #fail(tx: ServerTransaction, err: unknown, what: string): void {
    this.#d.log.error({ err, method: what }, 'request handling failed');
    if (!tx.answered) tx.respond(500, { reason: 'Server Internal Error' });
  }

  /** Wait for every pending CDR write (tests, shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.#calls].map((c) => c.cdr));
  }

  /** End every call (shutdown): legs get BYE/487, CDRs are closed as failed. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const calls = [...this.#calls];
    for (const call of calls) {
      if (call.state === 'connected' || call.state === 'held') {
        call.visitor.hangUp(this.#d.stack);
        call.agentLeg?.hangUp(this.#d.stack);
      } else {
        call.visitorInvite.respond(480);
        call.agentLeg?.cancelInvite();
      }
      this.#end(call, 'failed');
    }
    await Promise.all(calls.map((c) => c.cdr));
  }
}
