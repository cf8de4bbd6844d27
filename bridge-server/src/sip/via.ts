import type { Params, Via } from './message.js';
import { formatHeaderParams, parseHeaderParams } from './name-addr.js';
import { SipParseError } from './parse-error.js';
import { NameTable, formatHost, isLws, readHost, readPort, scanToken, skipLws } from './uri.js';

/**
 * One Via header field value (RFC 3261 §20.42, grammar §25.1):
 * `sent-protocol LWS sent-by *( SEMI via-params )` with `SLASH`, `COLON`, `SEMI` and `EQUAL` all allowing LWS
 * around them (`SIP / 2.0 / UDP host ; branch = z9hG4bK…`, RFC 4475 §3.1.1.1).
 */

/** Transports by name in any case → their upper-case spelling (RFC 3261 §20.42, RFC 7118 for WS/WSS). */
const TRANSPORTS = new NameTable(['udp', 'tcp', 'tls', 'sctp', 'ws', 'wss'].map((t) => [t, t.toUpperCase()] as const));

function malformed(): SipParseError {
  return SipParseError.badRequest('Malformed Via');
}

/** Index past `SWS "/" SWS` at `pos`, or -1. */
function slash(text: string, pos: number, end: number): number {
  pos = skipLws(text, pos, end);
  if (text.charCodeAt(pos) !== 47 /* / */) return -1;
  return skipLws(text, pos + 1, end);
}

/** True when [start, end) equals `lower` ignoring ASCII case. */
function equalsIgnoreCase(text: string, start: number, end: number, lower: string): boolean {
  if (end - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    const c = text.charCodeAt(start + i);
    if ((c >= 65 && c <= 90 ? c | 32 : c) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * Parses one Via value. The protocol must be `SIP/2.0` (compared case-insensitively, as ABNF literals are);
 * the transport is upper-cased, the host lower-cased, parameter names lower-cased. Comma-separated Vias must
 * be split first (`splitHeaderList`).
 *
 * @throws {SipParseError} 400 `Bad Request - Malformed Via`.
 */
export function parseVia(text: string): Via {
  const end = text.length;
  let pos = 0;
  // Nearly every Via starts with exactly `SIP/2.0/`; the general path handles case and LWS around the slashes.
  if (text.startsWith('SIP/2.0/')) {
    pos = 8;
  } else {
    pos = skipLws(text, 0, end);
    let te = scanToken(text, pos, end);
    if (!equalsIgnoreCase(text, pos, te, 'sip')) throw malformed();
    pos = slash(text, te, end);
    if (pos === -1) throw malformed();
    te = scanToken(text, pos, end);
    if (!equalsIgnoreCase(text, pos, te, '2.0')) throw malformed();
    pos = slash(text, te, end);
    if (pos === -1) throw malformed();
  }
  const te = scanToken(text, pos, end);
  if (te === pos) throw malformed();
  const known = TRANSPORTS.get(text, pos, te);
  const transport = known !== undefined ? known.value : text.slice(pos, te).toUpperCase();
  pos = skipLws(text, te, end);
  if (pos === te) throw malformed(); // sent-protocol LWS sent-by: the LWS is mandatory
  const host = readHost(text, pos, end);
  if (host === null) throw malformed();
  pos = skipLws(text, pos + host.length, end);
  let port: number | null = null;
  if (text.charCodeAt(pos) === 58 /* : */) {
    const ps = skipLws(text, pos + 1, end);
    let pe = ps;
    while (pe < end && !isLws(text.charCodeAt(pe)) && text.charCodeAt(pe) !== 59) pe++;
    port = readPort(text, ps, pe);
    if (port === -1) throw malformed();
    pos = pe;
  }
  const params: Params = {};
  if (parseHeaderParams(text, pos, end, params) !== end) throw malformed();
  return { transport, host, port, params };
}

/** Serializes one Via value as `SIP/2.0/<TRANSPORT> host[:port];params` (RFC 3261 §20.42). */
export function formatVia(via: Via): string {
  const port = via.port === null ? '' : `:${via.port}`;
  return `SIP/2.0/${via.transport} ${formatHost(via.host)}${port}${formatHeaderParams(via.params)}`;
}
