import { Buffer } from 'node:buffer';
import { COMPACT_FORMS, type CSeq, type HeaderMap, type NameAddr, type SipMessage, type SipUri, type Via, headerKey } from './message.js';
import { parseNameAddr, splitHeaderList, splitHeaderListInto } from './name-addr.js';
import { type PartReaders, SipParseError, salvageParts } from './parse-error.js';
import { NameTable, parseUri, scanToken } from './uri.js';
import { parseVia } from './via.js';

/**
 * The SIP message parser (RFC 3261 §7; grammar §25). One forward pass over the text with `indexOf` and char
 * codes: no regular expressions on the hot path and no per-line arrays. When parsing fails, a second, lenient
 * pass (`salvageParts`) collects what is needed to answer the request with an error (RFC 3261 §8.2.6); errors
 * are rare, so that pass is kept simple rather than fast.
 */

export interface ParseOptions {
  /** Largest accepted message in UTF-8 bytes; larger gives 513 (RFC 3261 §21.5.7). Default 65536. */
  maxBytes?: number;
}

// What the parser does with a header, by lower-case full name.
const SINGLE = 0;
const VIA = 1;
const FROM = 2;
const TO = 3;
const CALL_ID = 4;
const CSEQ = 5;
const CONTENT_LENGTH = 6;
const MAX_FORWARDS = 7;
const CONTACT = 8;
const NAME_ADDR_LIST = 9;
const LIST = 10;

/**
 * Headers whose grammar is `#element` (RFC 3261 §7.3.1): comma-separated values and repeated header lines mean
 * the same thing, so each value becomes one entry. Headers NOT listed here keep their value whole, because
 * commas inside them are data (WWW-Authenticate, Authorization, Date, Subject, User-Agent, extensions…).
 */
const KINDS: Readonly<Record<string, number>> = {
  via: VIA,
  from: FROM,
  to: TO,
  'call-id': CALL_ID,
  cseq: CSEQ,
  'content-length': CONTENT_LENGTH,
  'max-forwards': MAX_FORWARDS,
  contact: CONTACT,
  ...Object.fromEntries(['route', 'record-route', 'path', 'service-route'].map((k) => [k, NAME_ADDR_LIST])),
  ...Object.fromEntries(
    [
      'allow', 'supported', 'require', 'proxy-require', 'unsupported', 'accept', 'accept-encoding', 'accept-language',
      'content-encoding', 'allow-events', 'call-info', 'alert-info', 'error-info', 'warning', 'in-reply-to',
    ].map((k) => [k, LIST]),
  ),
};

/** True when a header (lower-case full name) is a comma-separated list, one model entry per element. */
export function isListHeader(key: string): boolean {
  const kind = KINDS[key];
  return kind === VIA || (kind !== undefined && kind >= CONTACT);
}

interface HeaderInfo {
  readonly key: string;
  readonly kind: number;
}

/** Header names found in place, with their compact forms (RFC 3261 §7.3.3): no slice, no lower-casing. */
const KNOWN_HEADERS = new NameTable<HeaderInfo>([
  ...[
    ...Object.keys(KINDS),
    'content-type', 'user-agent', 'server', 'expires', 'min-expires', 'session-expires', 'min-se', 'subject',
    'organization', 'www-authenticate', 'authorization', 'proxy-authenticate', 'proxy-authorization',
    'authentication-info', 'event', 'subscription-state', 'refer-to', 'referred-by', 'replaces', 'rseq', 'rack',
    'p-asserted-identity', 'p-preferred-identity', 'privacy', 'reason', 'date', 'timestamp', 'priority',
    'retry-after', 'reply-to', 'content-disposition', 'content-language', 'mime-version', 'sip-etag',
    'sip-if-match', 'identity',
  ].map((key) => [key, { key, kind: KINDS[key] ?? SINGLE }] as const),
  ...Object.entries(COMPACT_FORMS).map(([c, key]) => [c, { key, kind: KINDS[key] ?? SINGLE }] as const),
]);

/** Other names as written → key and kind. Bounded, so odd names sent by a peer cannot grow it forever. */
const nameCache = new Map<string, HeaderInfo>();

function headerInfo(text: string, start: number, end: number): HeaderInfo {
  const known = KNOWN_HEADERS.get(text, start, end);
  if (known !== undefined) return known.value;
  const raw = text.slice(start, end);
  let info = nameCache.get(raw);
  if (info !== undefined) return info;
  if (raw.length === 0 || scanToken(raw, 0, raw.length) !== raw.length) {
    throw SipParseError.badRequest('Malformed header name');
  }
  const key = headerKey(raw);
  info = { key, kind: Object.prototype.hasOwnProperty.call(KINDS, key) ? KINDS[key]! : SINGLE };
  if (nameCache.size < 512) nameCache.set(raw, info);
  return info;
}

/** Default Max-Forwards when a request omits it (RFC 3261 §8.1.1.6 recommends 70; we are liberal, §8.1.1). */
const DEFAULT_MAX_FORWARDS = '70';

/** `1*DIGIT` as a number, or -1 (also -1 past `max`). */
function readDigits(text: string, max: number): number {
  if (text.length === 0) return -1;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
    if (n > max) return -1;
  }
  return n;
}

/** CSeq: `1*DIGIT LWS Method` (RFC 3261 §20.16); the number is a 32-bit unsigned integer (§8.1.1.5). */
export function parseCSeq(value: string): CSeq | null {
  let i = 0;
  while (i < value.length && (value.charCodeAt(i) === 32 || value.charCodeAt(i) === 9)) i++;
  const ds = i;
  let seq = 0;
  for (; i < value.length; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    seq = seq * 10 + d;
    if (seq > 0xffffffff) return null;
  }
  const de = i;
  while (i < value.length && (value.charCodeAt(i) === 32 || value.charCodeAt(i) === 9)) i++;
  const me = scanToken(value, i, value.length);
  if (de === ds || i === de || me === i) return null;
  for (let j = me; j < value.length; j++) if (value.charCodeAt(j) !== 32 && value.charCodeAt(j) !== 9) return null;
  return { seq, method: value.slice(i, me) };
}

/** A header's name-addr, with errors renamed after the header (`Malformed From`). */
function nameAddrOf(value: string, header: string): NameAddr {
  try {
    return parseNameAddr(value);
  } catch (err) {
    if (!(err instanceof SipParseError)) throw err;
    throw SipParseError.badRequest(err.status === 416 ? `Unsupported URI Scheme in ${header}` : `Malformed ${header}`);
  }
}

/** `SIP/2.0` in any case (ABNF literals are case-insensitive, RFC 5234 §2.3); 505 for another `SIP/x.y`. */
function checkVersion(text: string, start: number, end: number, what: string): void {
  if (end - start === 7 && isSipSlash(text, start) && text.startsWith('2.0', start + 4)) return;
  let i = start + 4;
  let digits = 0;
  let dots = 0;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 && digits > 0 && dots === 0) {
      dots = 1;
      digits = 0;
    } else if (c >= 48 && c <= 57) digits++;
    else break;
  }
  if (end - start > 4 && isSipSlash(text, start) && i === end && dots === 1 && digits > 0) {
    throw SipParseError.versionNotSupported();
  }
  throw SipParseError.badRequest(`Malformed ${what}`);
}

function isSipSlash(text: string, i: number): boolean {
  return (
    (text.charCodeAt(i) | 32) === 115 &&
    (text.charCodeAt(i + 1) | 32) === 105 &&
    (text.charCodeAt(i + 2) | 32) === 112 &&
    text.charCodeAt(i + 3) === 47
  );
}

/** Index past the last non-SP/HT char before `end`. */
function trimEnd(text: string, start: number, end: number): number {
  while (end > start) {
    const c = text.charCodeAt(end - 1);
    if (c !== 32 && c !== 9) break;
    end--;
  }
  return end;
}

function skipWs(text: string, pos: number, end: number): number {
  while (pos < end) {
    const c = text.charCodeAt(pos);
    if (c !== 32 && c !== 9) break;
    pos++;
  }
  return pos;
}

/**
 * Parses one SIP message (RFC 3261 §7). Accepts CRLF or bare LF line ends, folded header lines (joined with one
 * SP, §7.3.1), compact header names (§7.3.3), any case in header names, LWS around the colon, repeated headers;
 * list headers give one entry per element ({@link isListHeader}). The body is cut to Content-Length, counted in
 * UTF-8 bytes (§18.3, §20.14); without Content-Length the rest of the text is the body (message transports).
 *
 * @throws {SipParseError} with a status and a reason saying what is wrong, and the readable parts from which
 *   `errorResponse()` builds the reply to a request.
 */
export function parseMessage(text: string, options?: ParseOptions): SipMessage {
  const maxBytes = options?.maxBytes ?? 65536;
  try {
    // Chars ≤ UTF-8 bytes ≤ 3 × chars: count bytes only when the char count cannot decide.
    if (text.length > maxBytes || (text.length * 3 > maxBytes && Buffer.byteLength(text, 'utf8') > maxBytes)) {
      throw SipParseError.tooLarge();
    }
    return parse(text);
  } catch (err) {
    if (err instanceof SipParseError && !err.hasParts) throw err.withParts(salvageParts(text, maxBytes, READERS));
    throw err;
  }
}

/** What salvageParts may use to judge the five key headers: the same readers as the parser. */
const READERS: PartReaders = {
  splitList: splitHeaderList,
  via: parseVia,
  nameAddr: parseNameAddr,
  cseq: parseCSeq,
  isToken: (value) => value.length > 0 && scanToken(value, 0, value.length) === value.length,
};

function parse(text: string): SipMessage {
  const len = text.length;
  let pos = 0;
  // RFC 3261 §7.5: CRLFs before the start-line are ignored (keep-alives on stream transports).
  while (pos < len && (text.charCodeAt(pos) === 13 || text.charCodeAt(pos) === 10)) pos++;
  let nl = text.indexOf('\n', pos);
  if (nl === -1) nl = len;
  const lineEnd = trimEnd(text, pos, nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);

  let method = '';
  let uri: SipUri | null = null;
  let status = 0;
  let reason = '';
  const isResponse = lineEnd - pos >= 4 && isSipSlash(text, pos);
  if (isResponse) {
    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (§7.2)
    const sp = text.indexOf(' ', pos);
    if (sp === -1 || sp > lineEnd) throw SipParseError.badRequest('Malformed Status-Line');
    checkVersion(text, pos, sp, 'Status-Line');
    const code = readDigits(text.slice(sp + 1, sp + 4), 999);
    if (code < 100 || code > 699 || (sp + 4 < lineEnd && text.charCodeAt(sp + 4) !== 32)) {
      throw SipParseError.badRequest('Malformed Status-Code');
    }
    status = code;
    reason = sp + 5 <= lineEnd ? text.slice(sp + 5, lineEnd) : '';
  } else {
    // Request-Line = Method SP Request-URI SP SIP-Version (§7.1): exactly one SP each side of the URI.
    const sp1 = text.indexOf(' ', pos);
    const sp2 = text.lastIndexOf(' ', lineEnd - 1);
    if (sp1 === -1 || sp1 >= lineEnd || sp2 <= sp1 + 1 || scanToken(text, pos, sp1) !== sp1 || sp1 === pos) {
      throw SipParseError.badRequest('Malformed Request-Line');
    }
    checkVersion(text, sp2 + 1, lineEnd, 'Request-Line');
    method = text.slice(pos, sp1);
    const uriText = text.slice(sp1 + 1, sp2);
    try {
      uri = parseUri(uriText);
    } catch (err) {
      if (err instanceof SipParseError && err.status !== 416) throw SipParseError.badRequest('Malformed Request-URI');
      throw err;
    }
    // URI headers are not allowed in a Request-URI (§19.1.1 table; RFC 4475 §3.1.2.11).
    for (const _ in uri.headers) throw SipParseError.badRequest('Malformed Request-URI');
  }

  const via: Via[] = [];
  let from: NameAddr | null = null;
  let to: NameAddr | null = null;
  let callId: string | null = null;
  let cseq: CSeq | null = null;
  let contentLength = -1;
  const headers: HeaderMap = new Map();
  let bodyStart = len;

  pos = nl + 1;
  while (pos < len) {
    nl = text.indexOf('\n', pos);
    if (nl === -1) nl = len;
    let le = nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    if (le === pos) {
      bodyStart = nl + 1; // the empty line ends the header section (§7)
      break;
    }
    const c0 = text.charCodeAt(pos);
    if (c0 === 32 || c0 === 9) throw SipParseError.badRequest('Malformed header line'); // folding with no header
    const colon = text.indexOf(':', pos);
    if (colon === -1 || colon >= le) throw SipParseError.badRequest('Malformed header line');
    const info = headerInfo(text, pos, trimEnd(text, pos, colon));
    const vs = skipWs(text, colon + 1, le);
    le = trimEnd(text, vs, le);
    let value: string;
    let next = nl + 1;
    let cn = text.charCodeAt(next);
    if (cn !== 32 && cn !== 9) {
      value = text.slice(vs, le);
    } else {
      // Folded: each continuation line joins with a single SP (§7.3.1).
      value = text.slice(vs, le);
      do {
        let ne = text.indexOf('\n', next);
        if (ne === -1) ne = len;
        const ce = trimEnd(text, next, ne > next && text.charCodeAt(ne - 1) === 13 ? ne - 1 : ne);
        const cs = skipWs(text, next, ce);
        if (ce > cs) value = value.length === 0 ? text.slice(cs, ce) : `${value} ${text.slice(cs, ce)}`;
        nl = ne;
        next = ne + 1;
        cn = text.charCodeAt(next);
      } while (cn === 32 || cn === 9);
    }
    pos = next;

    switch (info.kind) {
      case VIA:
        if (value.length === 0) throw SipParseError.badRequest('Malformed Via');
        if (value.indexOf(',') === -1) via.push(parseVia(value));
        else for (const v of splitHeaderList(value)) via.push(parseVia(v));
        break;
      case FROM:
        if (from !== null) throw SipParseError.badRequest('Multiple From');
        from = nameAddrOf(value, 'From');
        break;
      case TO:
        if (to !== null) throw SipParseError.badRequest('Multiple To');
        to = nameAddrOf(value, 'To');
        break;
      case CALL_ID:
        if (callId !== null) throw SipParseError.badRequest('Multiple Call-ID');
        // callid = word [ "@" word ] (§25.1): no whitespace inside.
        if (value.length === 0 || value.indexOf(' ') !== -1 || value.indexOf('\t') !== -1) {
          throw SipParseError.badRequest('Malformed Call-ID');
        }
        callId = value;
        break;
      case CSEQ:
        if (cseq !== null) throw SipParseError.badRequest('Multiple CSeq');
        cseq = parseCSeq(value);
        if (cseq === null) throw SipParseError.badRequest('Malformed CSeq');
        break;
      case CONTENT_LENGTH:
        if (contentLength !== -1) throw SipParseError.badRequest('Multiple Content-Length');
        contentLength = readDigits(value, Number.MAX_SAFE_INTEGER);
        if (contentLength === -1) throw SipParseError.badRequest('Malformed Content-Length');
        break;
      case MAX_FORWARDS:
        if (readDigits(value, 255) === -1) throw SipParseError.badRequest('Malformed Max-Forwards');
        addValue(headers, info.key, value);
        break;
      case CONTACT:
        // The REGISTER wildcard (§10.2.2) is not a name-addr and stays the raw "*"; one Contact needs no split.
        if (value === '*' || (value.length > 0 && value.indexOf(',') === -1)) addValue(headers, info.key, value);
        else addNameAddrList(headers, info.key, value);
        break;
      case NAME_ADDR_LIST:
        addNameAddrList(headers, info.key, value);
        break;
      case LIST:
        // `Supported:` with no option-tags (§20.37) still says something: keep it as one empty value.
        if (addList(headers, info.key, value) === 0) addValue(headers, info.key, '');
        break;
      default:
        addValue(headers, info.key, value);
    }
  }

  // Mandatory headers (§8.1.1; responses §8.2.6.2), named in the reason phrase.
  if (via.length === 0) throw SipParseError.badRequest('Missing Via');
  if (from === null) throw SipParseError.badRequest('Missing From');
  if (to === null) throw SipParseError.badRequest('Missing To');
  if (callId === null) throw SipParseError.badRequest('Missing Call-ID');
  if (cseq === null) throw SipParseError.badRequest('Missing CSeq');

  let body = '';
  if (bodyStart > len) bodyStart = len;
  if (contentLength === -1) {
    body = bodyStart < len ? text.slice(bodyStart) : '';
  } else if (contentLength > 0) {
    // Content-Length counts bytes (§20.14). When the rest is ASCII (bytes = chars; the native count is far
    // cheaper than a JS loop) a slice is exact; otherwise cut the encoded bytes.
    const rest = text.slice(bodyStart);
    const bytes = Buffer.byteLength(rest, 'utf8');
    if (bytes < contentLength) throw SipParseError.badRequest('Content-Length exceeds body');
    if (bytes === rest.length) body = contentLength === bytes ? rest : rest.slice(0, contentLength);
    else body = Buffer.from(rest, 'utf8').toString('utf8', 0, contentLength);
  }

  if (isResponse) {
    return { kind: 'response', status, reason, via, from, to, callId, cseq, headers, body };
  }
  // §8.2.2 / §12.2.2: the CSeq method names the request itself.
  if (cseq.method !== method) throw SipParseError.badRequest('CSeq method mismatch');
  if (!headers.has('max-forwards')) headers.set('max-forwards', [DEFAULT_MAX_FORWARDS]);
  return { kind: 'request', method, uri: uri!, via, from, to, callId, cseq, headers, body };
}

/**
 * Adds each element of a name-addr list (Contact, Route, Record-Route, Path, Service-Route) as raw text. They
 * are split now but parsed by whoever needs them (dialogs, routing), which answers 400 if they are malformed:
 * RFC 3261 §16.3 item 1 asks only that the components a request is handled with be well-formed.
 */
function addNameAddrList(headers: HeaderMap, key: string, value: string): void {
  if (addList(headers, key, value) === 0) {
    const name = key.replace(/(^|-)[a-z]/g, (m) => m.toUpperCase()); // record-route → Record-Route
    throw SipParseError.badRequest(`Malformed ${name}`);
  }
}

/** Appends each element of a list value; returns how many there were. */
function addList(headers: HeaderMap, key: string, value: string): number {
  let list = headers.get(key);
  if (list === undefined) {
    list = [];
    headers.set(key, list);
  }
  const before = list.length;
  splitHeaderListInto(value, list);
  if (list.length === before && before === 0) headers.delete(key);
  return list.length - before;
}

function addValue(headers: HeaderMap, key: string, value: string): void {
  const list = headers.get(key);
  if (list === undefined) headers.set(key, [value]);
  else list.push(value);
}
