/**
 * The registrar (RFC 3261 §10.3) for agents' and visitors' user agents on WebSocket flows (RFC 5626).
 *
 * A binding lives as long as its expiry timer and its connection: on a WebSocket the only way to reach the
 * agent is the connection it registered over (RFC 5626 §5.3, RFC 7118 §5), so when the flow closes every
 * binding on it goes. A contact with `+sip.instance` and `reg-id` is keyed by those, not by its URI, so a
 * reloaded JsSIP page (new Call-ID, new random contact URI) replaces its previous binding (RFC 5626 §6).
 */
import { systemClock, type Clock, type TimerHandle } from '../clock.js';
import { TypedEmitter } from '../typed-emitter.js';
import type { SipConnection } from './connection.js';
import { cloneNameAddr } from './message-builders.js';
import { getHeader, getHeaders, type NameAddr, type SipResponse, type SipUri } from './message.js';
import { formatNameAddr, parseNameAddr, splitHeaderList } from './name-addr.js';
import type { ServerTransaction } from './transaction.js';

export interface Binding {
  aor: string;
  /** The registered Contact, without its `expires` parameter. */
  contact: NameAddr;
  connection: SipConnection;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** `+sip.instance` without its quotes, e.g. `<urn:uuid:…>`. */
  instanceId?: string;
  regId?: string;
  callId: string;
  cseq: number;
}

export interface RegistrarOptions {
  clock?: Clock;
  /** Seconds granted when neither the contact nor the request says (§10.2.1.1). Default 600. */
  defaultExpires?: number;
  /** Shorter non-zero requests get 423 Interval Too Brief (§10.3 step 7). Default 60. */
  minExpires?: number;
  /** Longer requests are shortened to this. Default 3600. */
  maxExpires?: number;
}

export interface RegisterMeta {
  callId: string;
  cseq: number;
  /** The Expires header in seconds, if any. */
  expires?: number | null;
}

export type RegisterResult =
  | { ok: true; bindings: Binding[]; /** Seconds granted to the first contact of the request, if any. */ granted: number | null }
  | { ok: false; status: 423; reason: string; minExpires: number }
  | { ok: false; status: 400 | 500; reason: string };

interface Entry {
  binding: Binding;
  timer: TimerHandle;
  order: number;
}

/** RFC 3261 §19.1.4 enough for bindings: scheme, user (case-sensitive), host, port, transport. */
function uriKey(uri: SipUri): string {
  return `${uri.scheme}:${uri.user ?? ''}@${uri.host}:${uri.port ?? ''};${(uri.params.transport ?? '').toLowerCase()}`;
}

function unquote(v: string | null | undefined): string | undefined {
  if (v == null) return undefined;
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}

/** Malformed expiry values count as 3600 (RFC 3261 §20.19, §10.2.1.1). */
function seconds(v: string | null | undefined): number | null {
  if (v == null) return null;
  return /^\s*\d{1,10}\s*$/.test(v) ? Number(v) : 3600;
}

export type RegistrarEvents = { changed: [aor: string] };

export class Registrar extends TypedEmitter<RegistrarEvents> {
  readonly #clock: Clock;
  readonly #defaultExpires: number;
  readonly #minExpires: number;
  readonly #maxExpires: number;
  readonly #byAor = new Map<string, Map<string, Entry>>();
  #order = 0;
  #closed = false;

  constructor(opts: RegistrarOptions = {}) {
    super();
    this.#clock = opts.clock ?? systemClock;
    this.#defaultExpires = opts.defaultExpires ?? 600;
    this.#minExpires = opts.minExpires ?? 60;
    this.#maxExpires = opts.maxExpires ?? 3600;
  }

  /** The canonical address-of-record of a URI (§10.3 step 5): `sip:user@host`, no port or parameters. */
  static aorOf(uri: SipUri): string {
    return `${uri.scheme}:${uri.user === null ? '' : `${uri.user}@`}${uri.host}`;
  }

  /** The binding key: instance + reg-id for outbound contacts (RFC 5626 §6), else the contact URI. */
  static bindingKey(contact: NameAddr): string {
    const instance = unquote(contact.params['+sip.instance']);
    const regId = contact.params['reg-id'];
    return instance && regId ? `outbound:${instance}|${regId}` : `uri:${uriKey(contact.uri)}`;
  }

  /**
   * Apply a REGISTER's contacts (§10.3 steps 6–7) atomically: either every contact is applied or none is.
   * `'*'` removes every binding of the AOR and requires `expires: 0`.
   */
  register(aor: string, contacts: readonly NameAddr[] | '*', conn: SipConnection, meta: RegisterMeta): RegisterResult {
    if (this.#closed) return { ok: false, status: 500, reason: 'Server Internal Error - Registrar closed' };
    const table = this.#byAor.get(aor) ?? new Map<string, Entry>();
    const outOfOrder = (e: Entry | undefined): boolean => e !== undefined && e.binding.callId === meta.callId && meta.cseq <= e.binding.cseq;
    const ooo: RegisterResult = { ok: false, status: 500, reason: 'Server Internal Error - CSeq out of order' };
    if (contacts === '*') {
      if (meta.expires !== 0) return { ok: false, status: 400, reason: 'Bad Request - Contact * requires Expires: 0' };
      if ([...table.values()].some(outOfOrder)) return ooo;
      const had = table.size > 0;
      for (const key of [...table.keys()]) this.#remove(aor, key, false);
      if (had) this.safeEmit('changed', aor);
      return { ok: true, bindings: [], granted: 0 };
    }
    const plan = contacts.map((contact) => {
      let expires = seconds(contact.params.expires) ?? meta.expires ?? this.#defaultExpires;
      expires = Math.min(expires, this.#maxExpires);
      return { contact, expires, key: Registrar.bindingKey(contact) };
    });
    if (plan.some((p) => p.expires > 0 && p.expires < this.#minExpires)) {
      return { ok: false, status: 423, reason: 'Interval Too Brief', minExpires: this.#minExpires };
    }
    if (plan.some((p) => outOfOrder(table.get(p.key)))) return ooo;
    if (plan.some((p) => p.expires > 0) && conn.closed) return { ok: false, status: 500, reason: 'Server Internal Error - Flow closed' };
    let changed = false;
    for (const p of plan) {
      if (p.expires === 0) {
        changed = this.#remove(aor, p.key, false) || changed;
        continue;
      }
      this.#upsert(aor, table, p.key, p.contact, p.expires, conn, meta);
      changed = true;
    }
    if (table.size > 0) this.#byAor.set(aor, table);
    if (changed) this.safeEmit('changed', aor);
    return { ok: true, bindings: this.lookup(aor), granted: plan[0]?.expires ?? null };
  }

  #upsert(aor: string, table: Map<string, Entry>, key: string, contact: NameAddr, expires: number, conn: SipConnection, meta: RegisterMeta): void {
    table.get(key)?.timer.cancel();
    const stored = cloneNameAddr(contact);
    delete stored.params.expires;
    const instanceId = unquote(contact.params['+sip.instance']);
    const regId = contact.params['reg-id'] ?? undefined;
    const binding: Binding = {
      aor,
      contact: stored,
      connection: conn,
      expiresAt: this.#clock.now() + expires * 1000,
      callId: meta.callId,
      cseq: meta.cseq,
      ...(instanceId ? { instanceId } : {}),
      ...(regId ? { regId } : {}),
    };
    const timer = this.#clock.setTimeout(() => {
      if (this.#byAor.get(aor)?.get(key)?.binding === binding) this.#remove(aor, key, true);
    }, expires * 1000);
    table.set(key, { binding, timer, order: ++this.#order });
  }

  #remove(aor: string, key: string, emit: boolean): boolean {
    const table = this.#byAor.get(aor);
    const entry = table?.get(key);
    if (!table || !entry) return false;
    entry.timer.cancel();
    table.delete(key);
    if (table.size === 0) this.#byAor.delete(aor);
    if (emit) this.safeEmit('changed', aor);
    return true;
  }

  /** The AOR's bindings, most recently registered first. */
  lookup(aor: string): Binding[] {
    const table = this.#byAor.get(aor);
    if (!table) return [];
    return [...table.values()].sort((a, b) => b.order - a.order).map((e) => e.binding);
  }

  /** Every AOR with at least one binding. */
  aors(): string[] {
    return [...this.#byAor.keys()];
  }

  /** Drop every binding on a closed flow (RFC 5626 §5.3); call it from `SipStack`'s `connectionClosed`. */
  removeConnection(conn: SipConnection): void {
    for (const [aor, table] of [...this.#byAor]) {
      let changed = false;
      for (const [key, entry] of [...table]) {
        if (entry.binding.connection === conn) changed = this.#remove(aor, key, false) || changed;
      }
      if (changed) this.safeEmit('changed', aor);
    }
  }

  /**
   * Answer a REGISTER server transaction (§10.3 steps 5–8) after the TU has authenticated it: 200 with the
   * AOR's bindings (each Contact with its remaining `expires`) and Expires, 423 with Min-Expires, or 400/500.
   * The AOR is the To URI unless given.
   */
  handle(tx: ServerTransaction, opts: { aor?: string } = {}): SipResponse {
    const req = tx.request;
    const aor = opts.aor ?? Registrar.aorOf(req.to.uri);
    const expiresHeader = seconds(getHeader(req, 'expires'));
    let contacts: NameAddr[] | '*';
    try {
      const values = getHeaders(req, 'contact').flatMap(splitHeaderList);
      if (values.some((v) => v.trim() === '*')) {
        if (values.length !== 1) return tx.respond(400, { reason: 'Bad Request - Contact * must be alone' });
        contacts = '*';
      } else {
        contacts = values.map(parseNameAddr);
      }
    } catch {
      return tx.respond(400, { reason: 'Bad Request - Malformed Contact' });
    }
    const result =
      contacts !== '*' && contacts.length === 0
        ? ({ ok: true, bindings: this.lookup(aor), granted: null } as const) // a query (§10.3 step 6)
        : this.register(aor, contacts, tx.connection, { callId: req.callId, cseq: req.cseq.seq, expires: expiresHeader });
    if (!result.ok) {
      const headers: Record<string, string> = result.status === 423 ? { 'Min-Expires': String(result.minExpires) } : {};
      return tx.respond(result.status, { reason: result.reason, headers });
    }
    const now = this.#clock.now();
    const headers: Record<string, string | string[]> = {};
    if (result.bindings.length > 0) {
      headers.Contact = result.bindings.map((b) => {
        const na = cloneNameAddr(b.contact);
        na.params.expires = String(Math.max(0, Math.ceil((b.expiresAt - now) / 1000)));
        return formatNameAddr(na);
      });
    }
    if (result.granted !== null) headers.Expires = String(result.granted);
    const supported = getHeaders(req, 'supported').flatMap(splitHeaderList).map((s) => s.toLowerCase());
    if (supported.includes('outbound') && contacts !== '*' && contacts.some((c) => c.params['reg-id'] != null)) {
      headers.Require = 'outbound'; // RFC 5626 §6: the registrar accepted the flow
    }
    return tx.respond(200, { headers });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Cancel every expiry timer and forget every binding. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const table of this.#byAor.values()) for (const e of table.values()) e.timer.cancel();
    this.#byAor.clear();
    this.removeAllListeners();
  }
}
