import { Buffer } from 'node:buffer';
import type { SipMessage } from './message.js';
import { formatNameAddr } from './name-addr.js';
import { isListHeader } from './parser.js';
import { formatUri } from './uri.js';
import { formatVia } from './via.js';

/**
 * The SIP message serializer (RFC 3261 §7): the inverse of `parseMessage`, so that parse → serialize → parse
 * gives the same model. Always CRLF line ends and full header names (compact forms are optional, §7.3.3).
 */

/**
 * Header names whose registered spelling is not "capitalise each dash-separated word" (RFC 3261 §20 and the
 * IANA SIP header registry). Header names are case-insensitive (§7.3.1); this is for readability and for
 * peers that forget that.
 */
const IRREGULAR: Readonly<Record<string, string>> = {
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  'www-authenticate': 'WWW-Authenticate',
  'mime-version': 'MIME-Version',
  'content-id': 'Content-ID',
  rack: 'RAck',
  rseq: 'RSeq',
  'sip-etag': 'SIP-ETag',
  'sip-if-match': 'SIP-If-Match',
  'min-se': 'Min-SE',
  'session-id': 'Session-ID',
  'policy-id': 'Policy-ID',
  'user-to-user': 'User-to-User',
  'p-associated-uri': 'P-Associated-URI',
  'p-called-party-id': 'P-Called-Party-ID',
  'p-visited-network-id': 'P-Visited-Network-ID',
  'p-dcs-osps': 'P-DCS-OSPS',
  'p-dcs-billing-info': 'P-DCS-Billing-Info',
  'p-dcs-laes': 'P-DCS-LAES',
  'p-dcs-trace-party-id': 'P-DCS-Trace-Party-ID',
  'p-dcs-redirect': 'P-DCS-Redirect',
};

/** Canonical spelling of a lower-case header name: the table above, else each dash-separated word capitalised. */
export function canonicalHeaderName(key: string): string {
  const irregular = IRREGULAR[key];
  if (irregular !== undefined) return irregular;
  let name = '';
  let upper = true;
  for (let i = 0; i < key.length; i++) {
    const ch = key[i]!;
    name += upper ? ch.toUpperCase() : ch;
    upper = ch === '-';
  }
  return name;
}

/** How a header key is written: its name, whether its values join on one line, or not at all. */
interface HeaderOut {
  readonly name: string;
  readonly list: boolean;
  /** Kept in typed fields or computed (Via, From, To, Call-ID, CSeq, Content-Length): a stray copy is skipped. */
  readonly skip: boolean;
}

const SKIPPED: ReadonlySet<string> = new Set(['via', 'from', 'to', 'call-id', 'cseq', 'content-length']);

/** One look-up per header instead of three; bounded, since keys can come from peers. */
const outCache = new Map<string, HeaderOut>();

function headerOut(key: string): HeaderOut {
  let out = outCache.get(key);
  if (out === undefined) {
    out = { name: canonicalHeaderName(key), list: isListHeader(key), skip: SKIPPED.has(key) };
    if (outCache.size < 512) outCache.set(key, out);
  }
  return out;
}

/**
 * A header value on one line. Parsed values never hold CR/LF, but values set by code may come from a visitor's
 * web form; a bare line break would inject header lines, so breaks become the single SP that unfolding gives.
 */
function oneLine(v: string): string {
  return v.indexOf('\n') === -1 && v.indexOf('\r') === -1 ? v : v.replace(/[\r\n]+[ \t]*/g, ' ');
}

/**
 * Serializes a message (RFC 3261 §7): start line; every Via (one line each, in order); From, To, Call-ID, CSeq;
 * the other headers in map order under their canonical names — list headers ({@link isListHeader}) as one line
 * of comma-separated values (§7.3.1), the others one line per value, since their commas are data; then
 * `Content-Length` in UTF-8 bytes of the body (§20.14), the empty line and the body.
 */
export function serializeMessage(msg: SipMessage): string {
  let s =
    msg.kind === 'request'
      ? `${msg.method} ${formatUri(msg.uri)} SIP/2.0\r\n`
      : `SIP/2.0 ${msg.status} ${oneLine(msg.reason)}\r\n`;
  for (const via of msg.via) s += `Via: ${formatVia(via)}\r\n`;
  s += `From: ${formatNameAddr(msg.from)}\r\nTo: ${formatNameAddr(msg.to)}\r\n`;
  s += `Call-ID: ${oneLine(msg.callId)}\r\nCSeq: ${msg.cseq.seq} ${msg.cseq.method}\r\n`;
  for (const [key, values] of msg.headers) {
    const out = headerOut(key);
    if (values.length === 0 || out.skip) continue;
    const name = out.name;
    if (values.length === 1) {
      s += `${name}: ${oneLine(values[0]!)}\r\n`;
    } else if (out.list) {
      s += `${name}: ${oneLine(values.join(', '))}\r\n`;
    } else {
      for (const value of values) s += `${name}: ${oneLine(value)}\r\n`;
    }
  }
  return `${s}Content-Length: ${Buffer.byteLength(msg.body, 'utf8')}\r\n\r\n${msg.body}`;
}
