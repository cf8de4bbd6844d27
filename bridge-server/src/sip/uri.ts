import type { Params, SipUri } from './message.js';
import { SipParseError } from './parse-error.js';

/**
 * SIP and SIPS URIs (RFC 3261 §19.1, grammar in §25.1), plus the character classes the rest of the SIP grammar
 * shares. Everything is a single forward scan over char codes with table look-ups: no regular expressions, no
 * backtracking, and a slice (not a copy) whenever a component needs no unescaping.
 */

/** Character-class bits, indexed by char code (ASCII only; everything ≥ 0x80 is in no class). */
export const TOKEN = 1;
const USER = 2;
const PASSWORD = 4;
const PARAM = 8;
const HNV = 16;
const HOSTNAME = 32;
const HEX = 64;

/** `CHARS[code] & CLASS` tells whether an ASCII char belongs to a class of RFC 3261 §25.1. */
export const CHARS: Uint8Array = (() => {
  const t = new Uint8Array(128);
  const add = (chars: string, bits: number): void => {
    for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)]! |= bits;
  };
  const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const unreserved = `${alnum}-_.!~*'()`;
  add(`${alnum}-.!%*_+\`'~`, TOKEN);
  add(`${unreserved}&=+$,;?/`, USER);
  add(`${unreserved}&=+$,`, PASSWORD);
  add(`${unreserved}[]/:&+$`, PARAM);
  add(`${unreserved}[]/?:+$`, HNV);
  add(`${alnum}-.`, HOSTNAME);
  add('0123456789abcdefABCDEF', HEX);
  return t;
})();

/** True for SP or HTAB, and for CR/LF so values that were not unfolded are still read liberally (§7.3.1). */
export function isLws(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 10;
}

/** Index of the first non-LWS char at or after `pos` (`end` when none). */
export function skipLws(text: string, pos: number, end: number): number {
  while (pos < end && isLws(text.charCodeAt(pos))) pos++;
  return pos;
}

/** Index just past a token starting at `pos` (equal to `pos` when there is none). */
export function scanToken(text: string, pos: number, end: number): number {
  while (pos < end) {
    const c = text.charCodeAt(pos);
    if (c >= 128 || (CHARS[c]! & TOKEN) === 0) break;
    pos++;
  }
  return pos;
}

/**
 * The `host` (hostname, IPv4address or `[IPv6reference]`, RFC 3261 §25.1) starting at `pos`, lower-cased (hosts
 * compare case-insensitively, §19.1.4), or null. Only the character set is checked: label rules are left to DNS,
 * which rejects what it cannot resolve. The host ends at `pos + host.length` (lower-casing ASCII keeps lengths).
 */
export function readHost(text: string, pos: number, end: number): string | null {
  let upper = false;
  let i = pos;
  if (text.charCodeAt(pos) === 91 /* [ */) {
    for (i = pos + 1; ; i++) {
      if (i >= end) return null;
      const c = text.charCodeAt(i);
      if (c === 93 /* ] */) break;
      if (!(c < 128 && ((CHARS[c]! & HEX) !== 0 || c === 58 || c === 46))) return null;
      if (c <= 90 && c >= 65) upper = true;
    }
    if (i < pos + 3) return null;
    i++;
  } else {
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c >= 128 || (CHARS[c]! & HOSTNAME) === 0) break;
      if (c <= 90 && c >= 65) upper = true;
    }
    if (i === pos) return null;
  }
  const host = text.slice(pos, i);
  return upper ? host.toLowerCase() : host;
}

/**
 * Reads `1*DIGIT` at [pos, end) as a port (0–65535); -1 when it is not one. Used by URIs and Via sent-by.
 */
export function readPort(text: string, pos: number, end: number): number {
  if (pos >= end || end - pos > 5) return -1;
  let n = 0;
  for (let i = pos; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n <= 65535 ? n : -1;
}

/** ASCII lower-case of one char code. */
function lower(c: number): number {
  return c >= 65 && c <= 90 ? c | 32 : c;
}

/** A cheap key for [start, end): its length and its first, second and last chars, lower-cased. */
function shapeKey(text: string, start: number, end: number): number {
  const n = end - start;
  if (n === 0) return 0;
  const second = lower(text.charCodeAt(n > 1 ? start + 1 : start));
  return ((n & 0x7f) << 21) | (lower(text.charCodeAt(start)) << 14) | (second << 7) | lower(text.charCodeAt(end - 1));
}

/**
 * A table of lower-case names found straight from the text, without slicing or lower-casing a new string: the
 * hot path for header and parameter names, which also hands back interned constants that V8 uses as object
 * keys without hashing them again. Names are bucketed by length and three chars, then compared in full.
 */
export class NameTable<T> {
  readonly #buckets = new Map<number, Array<{ name: string; value: T }>>();

  constructor(entries: Iterable<readonly [string, T]>) {
    for (const [name, value] of entries) {
      const key = shapeKey(name, 0, name.length);
      const bucket = this.#buckets.get(key);
      if (bucket === undefined) this.#buckets.set(key, [{ name, value }]);
      else bucket.push({ name, value });
    }
  }

  /** The entry whose name equals [start, end) ignoring ASCII case, or undefined. */
  get(text: string, start: number, end: number): { name: string; value: T } | undefined {
    const bucket = this.#buckets.get(shapeKey(text, start, end));
    if (bucket === undefined) return undefined;
    const n = end - start;
    outer: for (let b = 0; b < bucket.length; b++) {
      const e = bucket[b]!;
      const name = e.name;
      if (name.length !== n) continue; // the key keeps only 7 bits of the length
      for (let i = 0; i < n; i++) {
        if (lower(text.charCodeAt(start + i)) !== name.charCodeAt(i)) continue outer;
      }
      return e;
    }
    return undefined;
  }
}

/** Parameter names seen in nearly every message (RFC 3261 §19.1.1, §20.42, RFC 5626, RFC 3581, RFC 5627). */
const COMMON_PARAMS = new NameTable(
  [
    'tag', 'branch', 'transport', 'lr', 'ob', 'rport', 'received', 'expires', 'q', 'user', 'maddr', 'method',
    'ttl', 'reg-id', '+sip.instance', '+sip.ice', 'gr', 'comp', 'ftag', 'alias', 'keep', 'sigcomp-id',
  ].map((n) => [n, n] as const),
);

/** The lower-cased name at [start, end): an interned constant for common names, else a new string. */
export function lowerName(text: string, start: number, end: number): string {
  const known = COMMON_PARAMS.get(text, start, end);
  return known !== undefined ? known.name : text.slice(start, end).toLowerCase();
}

/**
 * Sets a parameter (a repeated name: the last one wins). `__proto__` becomes an ordinary own property rather
 * than replacing the object's prototype.
 */
export function setParam(params: Params, name: string, value: string | null): void {
  if (name === '__proto__') {
    Object.defineProperty(params, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    params[name] = value;
  }
}

function malformed(): SipParseError {
  return SipParseError.badRequest('Malformed URI');
}

/**
 * Checks [start, end) against `cls`, allowing `%HH` escapes (RFC 3261 §25.1 `escaped`); returns whether there
 * were any.
 */
function checkEscaped(text: string, start: number, end: number, cls: number, allowEmpty: boolean): boolean {
  if (start === end && !allowEmpty) throw malformed();
  let escaped = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 37 /* % */) {
      const h1 = text.charCodeAt(i + 1);
      const h2 = text.charCodeAt(i + 2);
      if (i + 2 >= end || h1 >= 128 || h2 >= 128 || (CHARS[h1]! & HEX) === 0 || (CHARS[h2]! & HEX) === 0) {
        throw malformed();
      }
      escaped = true;
      i += 2;
    } else if (c >= 128 || (CHARS[c]! & cls) === 0) {
      throw malformed();
    }
  }
  return escaped;
}

/** [start, end) checked against `cls`, with escapes decoded (§19.1.2). */
function readEscaped(text: string, start: number, end: number, cls: number, allowEmpty: boolean): string {
  const raw = text.slice(start, end);
  return checkEscaped(text, start, end, cls, allowEmpty) ? unescape(raw) : raw;
}

function unescape(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw malformed(); // an escape sequence that is not UTF-8
  }
}

/** `sip` or `sips` when [0, colon) spells one of them in any case (schemes are case-insensitive, §19.1.4). */
function sipScheme(text: string, colon: number): 'sip' | 'sips' | null {
  if (colon !== 3 && colon !== 4) return null;
  if ((text.charCodeAt(0) | 32) !== 115 || (text.charCodeAt(1) | 32) !== 105 || (text.charCodeAt(2) | 32) !== 112) {
    return null;
  }
  if (colon === 3) return 'sip';
  return (text.charCodeAt(3) | 32) === 115 ? 'sips' : null;
}

/** RFC 3986 §3.1 `scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`. */
function isScheme(text: string, end: number): boolean {
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i) | 32;
    const alpha = c >= 97 && c <= 122;
    if (i === 0 ? !alpha : !(alpha || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return false;
  }
  return end > 0;
}

/**
 * Parses a SIP or SIPS URI (RFC 3261 §19.1). Scheme and host are lower-cased, parameter and header names
 * lower-cased (§19.1.4 compares them case-insensitively); user, password, values and headers are unescaped
 * and keep their case. A repeated parameter or header keeps its last value.
 *
 * @throws {SipParseError} 416 `Unsupported URI Scheme` for a well-formed URI of another scheme (`tel:`,
 *   `http:`) — the caller turns it into a 400 when the URI is not the Request-URI; 400 `Bad Request - Malformed
 *   URI` for anything else.
 */
export function parseUri(text: string): SipUri {
  const end = text.length;
  const colon = text.indexOf(':');
  const scheme = colon > 0 ? sipScheme(text, colon) : null;
  if (scheme === null) {
    if (colon > 0 && colon + 1 < end && isScheme(text, colon)) throw SipParseError.unsupportedUriScheme();
    throw malformed();
  }
  let pos = colon + 1;
  let user: string | null = null;
  let password: string | null = null;
  // '@' appears nowhere in a SIP URI but at the end of userinfo (§25.1), so one search finds userinfo.
  const at = text.indexOf('@', pos);
  if (at !== -1) {
    const pc = text.indexOf(':', pos);
    if (pc !== -1 && pc < at) {
      user = readEscaped(text, pos, pc, USER, false);
      password = readEscaped(text, pc + 1, at, PASSWORD, true);
    } else {
      user = readEscaped(text, pos, at, USER, false);
    }
    pos = at + 1;
  }
  const host = readHost(text, pos, end);
  if (host === null) throw malformed();
  pos += host.length;
  let port: number | null = null;
  if (pos < end && text.charCodeAt(pos) === 58 /* : */) {
    let pe = pos + 1;
    while (pe < end && text.charCodeAt(pe) !== 59 && text.charCodeAt(pe) !== 63) pe++;
    port = readPort(text, pos + 1, pe);
    if (port === -1) throw malformed();
    pos = pe;
  }
  const params: Params = {};
  while (pos < end && text.charCodeAt(pos) === 59 /* ; */) {
    const ns = pos + 1;
    let i = ns;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === 59 || c === 61 || c === 63) break;
      i++;
    }
    const name = checkEscaped(text, ns, i, PARAM, false)
      ? unescape(text.slice(ns, i)).toLowerCase()
      : lowerName(text, ns, i);
    let value: string | null = null;
    if (i < end && text.charCodeAt(i) === 61 /* = */) {
      const vs = i + 1;
      i = vs;
      while (i < end && text.charCodeAt(i) !== 59 && text.charCodeAt(i) !== 63) i++;
      value = readEscaped(text, vs, i, PARAM, false);
    }
    setParam(params, name, value);
    pos = i;
  }
  const headers: Record<string, string> = {};
  if (pos < end && text.charCodeAt(pos) === 63 /* ? */) {
    do {
      const ns = pos + 1;
      const eq = text.indexOf('=', ns);
      if (eq === -1) throw malformed();
      let amp = text.indexOf('&', eq + 1);
      if (amp === -1) amp = end;
      const name = readEscaped(text, ns, eq, HNV, false);
      const value = readEscaped(text, eq + 1, amp, HNV, true);
      setParam(headers, name, value);
      pos = amp;
    } while (pos < end);
  }
  if (pos !== end) throw malformed();
  return { scheme, user, password, host, port, params, headers };
}

const HEX_DIGITS = '0123456789ABCDEF';

/** Escapes every char outside `cls` (and `%` itself) as UTF-8 `%HH` (§19.1.2); returns `s` when none needs it. */
function escape(s: string, cls: number): string {
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || c === 37 || (CHARS[c]! & cls) === 0) break;
  }
  if (i === s.length) return s;
  let out = s.slice(0, i);
  let run = i;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128 && c !== 37 && (CHARS[c]! & cls) !== 0) continue;
    out += s.slice(run, i);
    if (c < 128) {
      out += `%${HEX_DIGITS[c >> 4]}${HEX_DIGITS[c & 15]}`;
    } else {
      const cp = s.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      out += encodeURIComponent(ch);
      i += ch.length - 1;
    }
    run = i + 1;
  }
  return out + s.slice(run);
}

/** `host`, bracketed when it is a bare IPv6 address (RFC 3261 §25.1 IPv6reference). */
export function formatHost(host: string): string {
  return host.indexOf(':') !== -1 && host.charCodeAt(0) !== 91 ? `[${host}]` : host;
}

/**
 * Serializes a SIP URI (RFC 3261 §19.1.1), escaping in user, password, parameters and headers whatever the
 * grammar does not allow literally (§19.1.2). `parseUri(formatUri(u))` equals `u`.
 */
export function formatUri(uri: SipUri): string {
  let s = `${uri.scheme}:`;
  if (uri.user !== null) {
    s += escape(uri.user, USER);
    if (uri.password !== null) s += `:${escape(uri.password, PASSWORD)}`;
    s += '@';
  }
  s += formatHost(uri.host);
  if (uri.port !== null) s += `:${uri.port}`;
  const params = uri.params;
  for (const name in params) {
    const value = params[name];
    s += `;${escape(name, PARAM)}`;
    if (value !== null && value !== undefined) s += `=${escape(value, PARAM)}`;
  }
  let sep = '?';
  const headers = uri.headers;
  for (const name in headers) {
    s += `${sep}${escape(name, HNV)}=${escape(headers[name]!, HNV)}`;
    sep = '&';
  }
  return s;
}
