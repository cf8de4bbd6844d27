/**
 * The SIP message model shared by the parser, the serializer, transactions, dialogs and the B2BUA.
 *
 * The five headers every message must carry (RFC 3261 §8.1.1: Via, From, To, Call-ID, CSeq) are parsed
 * eagerly into typed fields; those fields are the source of truth and are NOT also kept in `headers`.
 * Every other header lives in `headers`, keyed by its lower-case full name (compact forms expanded,
 * RFC 3261 §7.3.3), one entry per header field value in order. Content-Length is never stored: the parser
 * uses it to cut the body and the serializer computes it.
 */

/** Parameters with a value or none (`;lr`). Names are lower-cased; values keep their case. */
export type Params = Record<string, string | null>;

/** A SIP or SIPS URI (RFC 3261 §19.1). */
export interface SipUri {
  scheme: 'sip' | 'sips';
  /** Unescaped user part, or null. */
  user: string | null;
  password: string | null;
  /** Lower-cased host; IPv6 references keep their brackets. */
  host: string;
  port: number | null;
  params: Params;
  /** URI headers (`?subject=…`), unescaped. */
  headers: Record<string, string>;
}

/** From, To, Contact, Route, Record-Route (RFC 3261 §20.10 name-addr / addr-spec with header params). */
export interface NameAddr {
  /** Unquoted, unescaped display name, or null. */
  displayName: string | null;
  uri: SipUri;
  params: Params;
}

/** One Via header field value (RFC 3261 §20.42). */
export interface Via {
  /** Upper-cased transport: UDP, TCP, TLS, WS, WSS, SCTP. */
  transport: string;
  host: string;
  port: number | null;
  params: Params;
}

export interface CSeq {
  seq: number;
  method: string;
}

/** Header values keyed by lower-case full header name. */
export type HeaderMap = Map<string, string[]>;

interface SipMessageBase {
  via: Via[];
  from: NameAddr;
  to: NameAddr;
  callId: string;
  cseq: CSeq;
  headers: HeaderMap;
  /** The body as text (SDP, JSON); empty string when none. */
  body: string;
}

export interface SipRequest extends SipMessageBase {
  kind: 'request';
  /** Upper-case for the RFC 3261 methods; extension methods keep their case (methods are case-sensitive). */
  method: string;
  uri: SipUri;
}

export interface SipResponse extends SipMessageBase {
  kind: 'response';
  status: number;
  reason: string;
}

export type SipMessage = SipRequest | SipResponse;

/** RFC 3261 §7.3.3 and the compact forms registered since (RFC 3265, 3515, 3841, 3892, 4028, 4474). */
export const COMPACT_FORMS: Readonly<Record<string, string>> = {
  a: 'accept-contact',
  b: 'referred-by',
  c: 'content-type',
  d: 'request-disposition',
  e: 'content-encoding',
  f: 'from',
  i: 'call-id',
  j: 'reject-contact',
  k: 'supported',
  l: 'content-length',
  m: 'contact',
  o: 'event',
  r: 'refer-to',
  s: 'subject',
  t: 'to',
  u: 'allow-events',
  v: 'via',
  x: 'session-expires',
  y: 'identity',
};

/** Normalise a header name: lower-case, compact form expanded. */
export function headerKey(name: string): string {
  const lower = name.toLowerCase();
  return lower.length === 1 ? (COMPACT_FORMS[lower] ?? lower) : lower;
}

/** First value of a header, or undefined. */
export function getHeader(msg: SipMessage, name: string): string | undefined {
  return msg.headers.get(headerKey(name))?.[0];
}

/** All values of a header (empty array when absent). */
export function getHeaders(msg: SipMessage, name: string): readonly string[] {
  return msg.headers.get(headerKey(name)) ?? [];
}

/** Replace every value of a header. */
export function setHeader(msg: SipMessage, name: string, value: string | readonly string[]): void {
  msg.headers.set(headerKey(name), typeof value === 'string' ? [value] : [...value]);
}

/** Append a value to a header. */
export function addHeader(msg: SipMessage, name: string, value: string): void {
  const key = headerKey(name);
  const list = msg.headers.get(key);
  if (list) list.push(value);
  else msg.headers.set(key, [value]);
}

export function removeHeader(msg: SipMessage, name: string): void {
  msg.headers.delete(headerKey(name));
}
