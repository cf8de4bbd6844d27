/**
 * Building SIP messages: identifiers (branch, tag, Call-ID), responses to a request (RFC 3261 §8.2.6),
 * out-of-dialog requests (§8.1.1), CANCEL (§9.1) and the ACK a client transaction sends for a non-2xx final
 * response (§17.1.1.3). Every builder returns a fresh message that shares no objects with its inputs.
 */
import { randomBytes } from 'node:crypto';
import { formatNameAddr } from './name-addr.js';
import { headerKey, type HeaderMap, type NameAddr, type SipRequest, type SipResponse, type SipUri, type Via } from './message.js';

/** The RFC 3261 §8.1.1.7 magic cookie that marks a branch as unique per transaction. */
export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';

/** Sent-by host we put in our own Via headers: on WebSocket responses travel back on the connection. */
export const DEFAULT_VIA_HOST = 'sambung.invalid';

export function newBranch(): string {
  return BRANCH_MAGIC_COOKIE + randomBytes(12).toString('base64url');
}

/** A From/To tag (RFC 3261 §19.3: at least 32 bits of randomness). */
export function newTag(): string {
  return randomBytes(8).toString('hex');
}

export function newCallId(): string {
  return randomBytes(16).toString('base64url');
}

const REASONS: Readonly<Record<number, string>> = {
  100: 'Trying',
  180: 'Ringing',
  181: 'Call Is Being Forwarded',
  182: 'Queued',
  183: 'Session Progress',
  199: 'Early Dialog Terminated',
  200: 'OK',
  202: 'Accepted',
  204: 'No Notification',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Moved Temporarily',
  305: 'Use Proxy',
  380: 'Alternative Service',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  410: 'Gone',
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Unsupported URI Scheme',
  420: 'Bad Extension',
  421: 'Extension Required',
  423: 'Interval Too Brief',
  428: 'Use Identity Header',
  429: 'Provide Referrer Identity',
  430: 'Flow Failed',
  439: 'First Hop Lacks Outbound Support',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  482: 'Loop Detected',
  483: 'Too Many Hops',
  484: 'Address Incomplete',
  485: 'Ambiguous',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  489: 'Bad Event',
  491: 'Request Pending',
  493: 'Undecipherable',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Server Time-out',
  505: 'Version Not Supported',
  513: 'Message Too Large',
  580: 'Precondition Failure',
  600: 'Busy Everywhere',
  603: 'Decline',
  604: 'Does Not Exist Anywhere',
  606: 'Not Acceptable',
};

/** The RFC 3261 §21 reason phrase for a status; a class default for codes not in the table. */
export function reasonPhrase(status: number): string {
  const known = REASONS[status];
  if (known) return known;
  const klass = Math.floor(status / 100);
  return ['', 'Provisional', 'Success', 'Redirection', 'Client Error', 'Server Error', 'Global Failure'][klass] ?? 'Unknown';
}

/** Extra headers by name (any case, compact forms allowed); an array gives several header field values. */
export type ExtraHeaders = Record<string, string | readonly string[]>;

export interface BodyOptions {
  headers?: ExtraHeaders;
  body?: string;
  /** Content-Type of `body`; ignored when the body is empty. */
  contentType?: string;
}

export interface ResponseOptions extends BodyOptions {
  /** To tag to add when the request's To has none; a fresh tag when omitted. */
  toTag?: string;
}

/** Deep copy of plain message parts (URIs, name-addrs, Vias). */
export function cloneNameAddr(na: NameAddr): NameAddr {
  return structuredClone(na);
}
export function cloneUri(uri: SipUri): SipUri {
  return structuredClone(uri);
}
export function cloneVia(via: Via): Via {
  return structuredClone(via);
}

/** Merge `extra` into `headers`, replacing any earlier values of the same header. */
export function applyHeaders(headers: HeaderMap, extra: ExtraHeaders | undefined): void {
  if (!extra) return;
  for (const [name, value] of Object.entries(extra)) {
    headers.set(headerKey(name), typeof value === 'string' ? [value] : [...value]);
  }
}

function applyBody(headers: HeaderMap, opts: BodyOptions): string {
  applyHeaders(headers, opts.headers);
  const body = opts.body ?? '';
  if (body !== '' && opts.contentType) headers.set('content-type', [opts.contentType]);
  return body;
}

/**
 * A response to `req` (RFC 3261 §8.2.6.2): Via list, From, Call-ID and CSeq copied; To copied with a tag
 * added when the status is above 100 and the request's To carries none. A 100 echoes Timestamp (§8.2.6.1);
 * a 101–299 response copies Record-Route so the UAC can build its route set (§12.1.1).
 */
export function createResponse(req: SipRequest, status: number, reason?: string, opts: ResponseOptions = {}): SipResponse {
  const to = cloneNameAddr(req.to);
  if (status > 100 && to.params.tag == null) to.params.tag = opts.toTag ?? newTag();
  const headers: HeaderMap = new Map();
  if (status === 100) {
    const ts = req.headers.get('timestamp');
    if (ts) headers.set('timestamp', [...ts]);
  }
  const rr = req.headers.get('record-route');
  if (rr && status > 100 && status < 300) headers.set('record-route', [...rr]);
  const body = applyBody(headers, opts);
  return {
    kind: 'response',
    status,
    reason: reason ?? reasonPhrase(status),
    via: req.via.map(cloneVia),
    from: cloneNameAddr(req.from),
    to,
    callId: req.callId,
    cseq: { seq: req.cseq.seq, method: req.cseq.method },
    headers,
    body,
  };
}

/** Where our Via says the request was sent from; the branch is always new. */
export interface ViaTemplate {
  transport: string;
  host?: string;
  port?: number | null;
}

/** A top Via with a fresh branch (RFC 3261 §8.1.1.7); `rport` asks for symmetric response routing (RFC 3581). */
export function createVia(template: ViaTemplate, branch: string = newBranch()): Via {
  return {
    transport: template.transport.toUpperCase(),
    host: template.host ?? DEFAULT_VIA_HOST,
    port: template.port ?? null,
    params: { branch },
  };
}

export interface RequestOptions extends BodyOptions {
  method: string;
  uri: SipUri;
  /** From; a tag is added when it has none (RFC 3261 §8.1.1.3). */
  from: NameAddr;
  /** To; for an out-of-dialog request it carries no tag. */
  to: NameAddr;
  callId?: string;
  cseq?: number;
  via: ViaTemplate;
  maxForwards?: number;
  contact?: NameAddr | readonly NameAddr[];
  /** Route header values (pre-formatted), e.g. an outbound proxy (§8.1.2). */
  route?: readonly string[];
}

/**
 * An out-of-dialog request (RFC 3261 §8.1.1): a new Via branch, Max-Forwards 70, a From tag, a new Call-ID
 * when none is given, CSeq 1 by default.
 */
export function createRequest(opts: RequestOptions): SipRequest {
  const from = cloneNameAddr(opts.from);
  if (from.params.tag == null) from.params.tag = newTag();
  const to = cloneNameAddr(opts.to);
  const headers: HeaderMap = new Map();
  if (opts.route && opts.route.length > 0) headers.set('route', [...opts.route]);
  headers.set('max-forwards', [String(opts.maxForwards ?? 70)]);
  if (opts.contact) {
    const list: readonly NameAddr[] = Array.isArray(opts.contact) ? opts.contact : [opts.contact as NameAddr];
    if (list.length > 0) headers.set('contact', list.map(formatNameAddr));
  }
  const body = applyBody(headers, opts);
  return {
    kind: 'request',
    method: opts.method,
    uri: cloneUri(opts.uri),
    via: [createVia(opts.via)],
    from,
    to,
    callId: opts.callId ?? newCallId(),
    cseq: { seq: opts.cseq ?? 1, method: opts.method },
    headers,
    body,
  };
}

function copyRoutes(from: SipRequest, headers: HeaderMap): void {
  const route = from.headers.get('route');
  if (route) headers.set('route', [...route]);
}

/**
 * CANCEL for a pending request (RFC 3261 §9.1): same Request-URI, Call-ID, To, From and CSeq number, method
 * CANCEL, one Via equal to the request's top Via (so it carries the same branch), Route copied.
 */
export function createCancel(req: SipRequest, opts: { headers?: ExtraHeaders } = {}): SipRequest {
  const headers: HeaderMap = new Map();
  copyRoutes(req, headers);
  headers.set('max-forwards', [req.headers.get('max-forwards')?.[0] ?? '70']);
  applyHeaders(headers, opts.headers);
  return {
    kind: 'request',
    method: 'CANCEL',
    uri: cloneUri(req.uri),
    via: [cloneVia(req.via[0]!)],
    from: cloneNameAddr(req.from),
    to: cloneNameAddr(req.to),
    callId: req.callId,
    cseq: { seq: req.cseq.seq, method: 'CANCEL' },
    headers,
    body: '',
  };
}

/**
 * The ACK an INVITE client transaction sends for a 3xx–6xx (RFC 3261 §17.1.1.3): Request-URI, Call-ID,
 * From and top Via of the INVITE (same branch), To of the response (with its tag), CSeq number of the INVITE
 * with method ACK, Route copied from the INVITE.
 */
export function createNon2xxAck(invite: SipRequest, response: SipResponse): SipRequest {
  const headers: HeaderMap = new Map();
  copyRoutes(invite, headers);
  headers.set('max-forwards', ['70']);
  return {
    kind: 'request',
    method: 'ACK',
    uri: cloneUri(invite.uri),
    via: [cloneVia(invite.via[0]!)],
    from: cloneNameAddr(invite.from),
    to: cloneNameAddr(response.to),
    callId: invite.callId,
    cseq: { seq: invite.cseq.seq, method: 'ACK' },
    headers,
    body: '',
  };
}
