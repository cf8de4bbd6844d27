/**
 * A SIP dialog (RFC 3261 §12): the peer-to-peer state an INVITE (or another dialog-creating request) sets up,
 * and the in-dialog requests built from it (§12.2.1.1) and checked against it (§12.2.2).
 *
 * ```
 *   1xx with To tag          2xx (UAC) / 2xx sent (UAS)
 *   ---------------> Early ---------------------------> Confirmed
 *   2xx directly ------------------------------------------^    |
 *                      | non-2xx final, terminate()            | BYE, terminate()
 *                      +--------------> Terminated <-----------+
 * ```
 */
import { TransitionError } from '../errors.js';
import { StateMachine, type TransitionTable } from '../state-machine.js';
import { TypedEmitter } from '../typed-emitter.js';
import type { SipConnection } from './connection.js';
import {
  applyHeaders,
  cloneNameAddr,
  cloneUri,
  createVia,
  DEFAULT_VIA_HOST,
  type BodyOptions,
  type ViaTemplate,
} from './message-builders.js';
import { getHeaders, type HeaderMap, type NameAddr, type SipMessage, type SipRequest, type SipResponse, type SipUri } from './message.js';
import { formatNameAddr, parseNameAddr, splitHeaderList } from './name-addr.js';
import { formatUri } from './uri.js';

export type DialogState = 'early' | 'confirmed' | 'terminated';

export const dialogTransitions: TransitionTable<DialogState> = {
  early: ['confirmed', 'terminated'],
  confirmed: ['terminated'],
  terminated: [],
};

export type DialogRole = 'uac' | 'uas';

export interface DialogOptions {
  /** Our Contact, put in target-refresh requests (RFC 3261 §12.2.1.1, §8.1.1.8). */
  localContact?: NameAddr;
  /** Our Via sent-by; by default the connection's transport and {@link DEFAULT_VIA_HOST}. */
  via?: ViaTemplate;
}

/** Methods that refresh the remote target (RFC 3261 §12.2, RFC 3311, RFC 6665, RFC 3515). */
const TARGET_REFRESH = new Set(['INVITE', 'UPDATE', 'SUBSCRIBE', 'NOTIFY', 'REFER']);

export type DialogCheck = { ok: true } | { ok: false; status: 500; reason: string };

function withoutTag(na: NameAddr): NameAddr {
  const copy = cloneNameAddr(na);
  delete copy.params.tag;
  return copy;
}

function withTag(na: NameAddr, tag: string): NameAddr {
  const copy = cloneNameAddr(na);
  copy.params.tag = tag;
  return copy;
}

/** Every name-addr of a header that may repeat and may hold comma-separated lists. */
function nameAddrs(msg: SipMessage, header: string): NameAddr[] {
  return getHeaders(msg, header).flatMap(splitHeaderList).map(parseNameAddr);
}

function contactTarget(msg: SipMessage): SipUri | null {
  const first = nameAddrs(msg, 'contact')[0];
  return first ? cloneUri(first.uri) : null;
}

export type DialogEvents = { state: [to: DialogState, from: DialogState] };

export class Dialog extends TypedEmitter<DialogEvents> {
  readonly role: DialogRole;
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
  /** Our party (From for the UAC, To for the UAS), without tag. */
  readonly localUri: NameAddr;
  readonly remoteUri: NameAddr;
  readonly connection: SipConnection;
  readonly secure: boolean;
  remoteTarget: SipUri;
  routeSet: readonly NameAddr[];
  /** The last CSeq we used; null while empty (a UAS dialog before its first request, §12.1.1). */
  localSeq: number | null;
  /** The last CSeq the peer used; null while empty (a UAC dialog, §12.1.2). */
  remoteSeq: number | null;
  readonly #opts: DialogOptions;
  readonly #fsm: StateMachine<DialogState>;

  private constructor(init: {
    role: DialogRole;
    state: DialogState;
    request: SipRequest;
    local: NameAddr;
    remote: NameAddr;
    localTag: string;
    remoteTag: string;
    remoteTarget: SipUri;
    routeSet: NameAddr[];
    localSeq: number | null;
    remoteSeq: number | null;
    connection: SipConnection;
    opts: DialogOptions;
  }) {
    super();
    this.role = init.role;
    this.#fsm = new StateMachine('Dialog', dialogTransitions, init.state, (from, to) => this.safeEmit('state', to, from));
    this.callId = init.request.callId;
    this.localUri = withoutTag(init.local);
    this.remoteUri = withoutTag(init.remote);
    this.localTag = init.localTag;
    this.remoteTag = init.remoteTag;
    this.remoteTarget = init.remoteTarget;
    this.routeSet = init.routeSet;
    this.localSeq = init.localSeq;
    this.remoteSeq = init.remoteSeq;
    this.connection = init.connection;
    this.secure = init.request.uri.scheme === 'sips';
    this.#opts = init.opts;
  }

  /**
   * The UAC side (§12.1.2) from our request and a 1xx-with-tag (early) or 2xx (confirmed): route set is the
   * response's Record-Route reversed, remote target its Contact.
   */
  static fromUac(request: SipRequest, response: SipResponse, connection: SipConnection, opts: DialogOptions = {}): Dialog {
    return new Dialog({
      role: 'uac',
      state: response.status >= 200 ? 'confirmed' : 'early',
      request,
      local: request.from,
      remote: response.to,
      localTag: request.from.params.tag ?? '',
      remoteTag: response.to.params.tag ?? '',
      remoteTarget: contactTarget(response) ?? cloneUri(request.uri),
      routeSet: nameAddrs(response, 'record-route').reverse(),
      localSeq: request.cseq.seq,
      remoteSeq: null,
      connection,
      opts,
    });
  }

  /**
   * The UAS side (§12.1.1) from the request and the response we send (its To tag is our tag): route set is
   * the request's Record-Route in order, remote target its Contact.
   */
  static fromUas(request: SipRequest, response: SipResponse, connection: SipConnection, opts: DialogOptions = {}): Dialog {
    return new Dialog({
      role: 'uas',
      state: response.status >= 200 ? 'confirmed' : 'early',
      request,
      local: request.to,
      remote: request.from,
      localTag: response.to.params.tag ?? '',
      remoteTag: request.from.params.tag ?? '',
      remoteTarget: contactTarget(request) ?? cloneUri(request.from.uri),
      routeSet: nameAddrs(request, 'record-route'),
      localSeq: null,
      remoteSeq: request.cseq.seq,
      connection,
      opts,
    });
  }

  static idOf(callId: string, localTag: string, remoteTag: string): string {
    return `${callId}|${localTag}|${remoteTag}`;
  }

  /** The id of the dialog an incoming request belongs to (local tag = To tag, §12.2.2). */
  static idForRequest(req: SipRequest): string {
    return Dialog.idOf(req.callId, req.to.params.tag ?? '', req.from.params.tag ?? '');
  }

  /** The id of the dialog a response to our request belongs to (local tag = From tag). */
  static idForResponse(res: SipResponse): string {
    return Dialog.idOf(res.callId, res.from.params.tag ?? '', res.to.params.tag ?? '');
  }

  get id(): string {
    return Dialog.idOf(this.callId, this.localTag, this.remoteTag);
  }

  get state(): DialogState {
    return this.#fsm.state;
  }

  /**
   * Early → Confirmed. For the UAC pass the 2xx: its Record-Route and Contact replace the early route set and
   * remote target (§12.1.2, §13.2.2.4). A no-op when already confirmed.
   */
  confirm(response?: SipResponse): void {
    if (this.#fsm.state === 'confirmed') return;
    if (response && this.role === 'uac') {
      this.routeSet = nameAddrs(response, 'record-route').reverse();
      this.remoteTarget = contactTarget(response) ?? this.remoteTarget;
    }
    this.#fsm.transition('confirmed');
  }

  /** Idempotent. */
  terminate(): void {
    if (this.#fsm.state !== 'terminated') this.#fsm.transition('terminated');
  }

  /**
   * Check an in-dialog request from the peer (§12.2.2): a CSeq not above the last one → 500 (ACK and CANCEL
   * reuse their INVITE's number and are exempt); a target refresh with a Contact replaces the remote target.
   */
  receiveRequest(req: SipRequest): DialogCheck {
    if (req.method === 'ACK' || req.method === 'CANCEL') return { ok: true };
    if (this.remoteSeq !== null && req.cseq.seq <= this.remoteSeq) {
      return { ok: false, status: 500, reason: 'Server Internal Error - CSeq out of order' };
    }
    this.remoteSeq = req.cseq.seq;
    if (TARGET_REFRESH.has(req.method)) this.remoteTarget = contactTarget(req) ?? this.remoteTarget;
    return { ok: true };
  }

  /** A 2xx to a target refresh we sent replaces the remote target (§12.2.1.2). */
  receiveRefreshResponse(res: SipResponse): void {
    if (res.status >= 200 && res.status < 300 && TARGET_REFRESH.has(res.cseq.method)) {
      this.remoteTarget = contactTarget(res) ?? this.remoteTarget;
    }
  }

  /**
   * An in-dialog request (§12.2.1.1): To/From with the dialog's tags, Call-ID, the next local CSeq, a new
   * branch, Request-URI and Route from the remote target and route set (loose or strict routing).
   * ACK for a 2xx is {@link createAck}; CANCEL is `createCancel(request)`.
   */
  createRequest(method: string, opts: BodyOptions = {}): SipRequest {
    if (method === 'ACK' || method === 'CANCEL') throw new TypeError(`Dialog.createRequest: use ${method === 'ACK' ? 'createAck' : 'createCancel'}`);
    if (this.#fsm.state === 'terminated') throw TransitionError.illegal('Dialog', 'terminated', `send ${method}`);
    this.localSeq = (this.localSeq ?? 0) + 1;
    const req = this.#build(method, this.localSeq, opts);
    if (this.#opts.localContact && TARGET_REFRESH.has(method)) req.headers.set('contact', [formatNameAddr(this.#opts.localContact)]);
    return req;
  }

  /** The ACK for a 2xx to the INVITE with CSeq `inviteCseq` (§13.2.2.4): same number, method ACK, new branch. */
  createAck(inviteCseq: number, opts: BodyOptions = {}): SipRequest {
    return this.#build('ACK', inviteCseq, opts);
  }

  #build(method: string, seq: number, opts: BodyOptions): SipRequest {
    const headers: HeaderMap = new Map();
    const [uri, routes] = this.#target();
    if (routes.length > 0) headers.set('route', routes);
    headers.set('max-forwards', ['70']);
    applyHeaders(headers, opts.headers);
    const body = opts.body ?? '';
    if (body !== '' && opts.contentType) headers.set('content-type', [opts.contentType]);
    const via = this.#opts.via ?? { transport: this.connection.transport, host: DEFAULT_VIA_HOST };
    return {
      kind: 'request',
      method,
      uri,
      via: [createVia(via)],
      from: withTag(this.localUri, this.localTag),
      to: withTag(this.remoteUri, this.remoteTag),
      callId: this.callId,
      cseq: { seq, method },
      headers,
      body,
    };
  }

  /** §12.2.1.1: loose routing keeps the remote target as Request-URI; a strict first hop becomes it. */
  #target(): [SipUri, string[]] {
    const first = this.routeSet[0];
    if (!first) return [cloneUri(this.remoteTarget), []];
    if ('lr' in first.uri.params) return [cloneUri(this.remoteTarget), this.routeSet.map(formatNameAddr)];
    const uri = cloneUri(first.uri);
    delete uri.params.method; // §19.1.1 table: not allowed in a Request-URI, nor are URI headers
    uri.headers = {};
    const rest = this.routeSet.slice(1).map(formatNameAddr);
    rest.push(`<${formatUri(this.remoteTarget)}>`);
    return [uri, rest];
  }
}
