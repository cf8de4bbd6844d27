import type { NameAddr, Params } from './message.js';
import { SipParseError } from './parse-error.js';
import { CHARS, TOKEN, formatUri, isLws, lowerName, parseUri, scanToken, setParam, skipLws } from './uri.js';

/**
 * name-addr / addr-spec with header parameters (RFC 3261 §20.10, §25.1): the value of From, To, Contact, Route,
 * Record-Route, Reply-To, Refer-To, P-Asserted-Identity and friends.
 */

function malformed(): SipParseError {
  return SipParseError.badRequest('Malformed name-addr');
}

/**
 * Index just past a quoted-string that opens at `pos` (RFC 3261 §25.1: `\` escapes any char but CR/LF), or -1
 * when it never closes.
 */
export function scanQuoted(text: string, pos: number, end: number): number {
  for (let i = pos + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) i++;
    else if (c === 34 /* " */) return i + 1;
  }
  return -1;
}

/** The content of a quoted-string with its quoted-pairs resolved. */
function unquote(text: string, start: number, end: number): string {
  const inner = text.slice(start + 1, end - 1);
  if (inner.indexOf('\\') === -1) return inner;
  let out = '';
  let run = 0;
  for (let i = 0; i < inner.length; i++) {
    if (inner.charCodeAt(i) === 92) {
      out += inner.slice(run, i);
      run = ++i; // keep the escaped char itself
    }
  }
  return out + inner.slice(run);
}

/** True for a char that may appear in a gen-value without quotes: token chars, and `[ ] :` for IPv6 hosts. */
function isGenValueChar(c: number): boolean {
  return c < 128 && ((CHARS[c]! & TOKEN) !== 0 || c === 91 || c === 93 || c === 58);
}

/**
 * Reads `*( SEMI generic-param )` (RFC 3261 §25.1, `SEMI` and `EQUAL` allow LWS) from `pos` into `params`:
 * names lower-cased, token/host values as written, quoted-string values kept WITH their quotes so that they
 * serialize back unchanged (`+sip.instance="<urn:uuid:…>"`). Returns the index of the first char it did not
 * consume (after trailing LWS); the caller decides whether anything may follow.
 */
export function parseHeaderParams(text: string, pos: number, end: number, params: Params): number {
  if (pos === end) return pos;
  pos = skipLws(text, pos, end);
  while (pos < end && text.charCodeAt(pos) === 59 /* ; */) {
    const ns = skipLws(text, pos + 1, end);
    const ne = scanToken(text, ns, end);
    if (ne === ns) throw malformed();
    const name = lowerName(text, ns, ne);
    pos = skipLws(text, ne, end);
    let value: string | null = null;
    if (pos < end && text.charCodeAt(pos) === 61 /* = */) {
      const vs = skipLws(text, pos + 1, end);
      let ve: number;
      if (text.charCodeAt(vs) === 34 /* " */) {
        ve = scanQuoted(text, vs, end);
        if (ve === -1) throw malformed();
      } else {
        ve = vs;
        while (ve < end && isGenValueChar(text.charCodeAt(ve))) ve++;
        if (ve === vs) throw malformed();
      }
      value = text.slice(vs, ve);
      pos = skipLws(text, ve, end);
    }
    setParam(params, name, value);
  }
  return pos;
}

/**
 * Parses one name-addr or addr-spec with its header parameters (RFC 3261 §20.10). For a bare addr-spec the URI
 * ends at the first `;` or LWS, so those `;params` are header parameters, not URI parameters (§20.10: a URI
 * with `;`, `?` or `,` must be in angle brackets). Display names are unquoted and unescaped; a token display name
 * keeps single spaces between its words. `*` (Contact wildcard) is not a name-addr and is rejected.
 *
 * @throws {SipParseError} 400 `Bad Request - Malformed name-addr`, or the URI's own error.
 */
export function parseNameAddr(text: string): NameAddr {
  const end = text.length;
  let pos = skipLws(text, 0, end);
  let displayName: string | null = null;
  const first = text.charCodeAt(pos);
  if (first === 34 /* " */) {
    const qe = scanQuoted(text, pos, end);
    if (qe === -1) throw malformed();
    displayName = unquote(text, pos, qe);
    pos = skipLws(text, qe, end);
    if (text.charCodeAt(pos) !== 60 /* < */) throw malformed();
  } else if (first !== 60) {
    // Either `scheme:...` (addr-spec) or `*(token LWS) <` (display name). A token followed directly by ':' is
    // a scheme; a display name's tokens are followed by LWS or '<'.
    const te = scanToken(text, pos, end);
    if (te === pos && !(first >= 128)) throw malformed();
    if (text.charCodeAt(te) === 58 /* : */) {
      let uriEnd = te;
      while (uriEnd < end) {
        const c = text.charCodeAt(uriEnd);
        if (c === 59 /* ; */ || c === 63 /* ? */ || isLws(c)) break;
        uriEnd++;
      }
      // A bare addr-spec cannot carry URI headers (`?`) or parameters: those need <…> (§20.10).
      if (text.charCodeAt(uriEnd) === 63) throw malformed();
      const uri = parseUri(text.slice(pos, uriEnd));
      const params: Params = {};
      if (parseHeaderParams(text, uriEnd, end, params) !== end) throw malformed();
      return { displayName: null, uri, params };
    }
    const lt = text.indexOf('<', pos);
    if (lt === -1) throw malformed();
    let de = lt;
    while (de > pos && isLws(text.charCodeAt(de - 1))) de--;
    // Display-name words: token chars (and, liberally, UTF-8 that clients forget to quote) separated by LWS.
    let collapse = false;
    for (let i = pos; i < de; i++) {
      const c = text.charCodeAt(i);
      if (isLws(c)) {
        if (c !== 32 || isLws(text.charCodeAt(i + 1))) collapse = true;
      } else if (c < 128 && (CHARS[c]! & TOKEN) === 0) {
        throw malformed();
      }
    }
    displayName = text.slice(pos, de);
    if (collapse) displayName = displayName.replace(/[ \t\r\n]+/g, ' ');
    pos = lt;
  }
  // pos is at '<'. The URI may not contain '>' (§25.1), so the first one closes it. LWS inside the brackets
  // is not allowed (LAQUOT addr-spec RAQUOT; RFC 4475 §3.1.2.14), and parseUri rejects it.
  const gt = text.indexOf('>', pos + 1);
  if (gt === -1) throw malformed();
  const uri = parseUri(text.slice(pos + 1, gt));
  const params: Params = {};
  if (parseHeaderParams(text, gt + 1, end, params) !== end) throw malformed();
  return { displayName, uri, params };
}

/** True when `v` can be written as a gen-value without quotes (token or host, RFC 3261 §25.1). */
function isBareGenValue(v: string): boolean {
  if (v.length === 0) return false;
  for (let i = 0; i < v.length; i++) if (!isGenValueChar(v.charCodeAt(i))) return false;
  return true;
}

/**
 * Quotes `s` as a quoted-string (§25.1): `"`, `\` and control chars become quoted-pairs; CR and LF cannot be
 * escaped at all, so they become spaces.
 */
export function quote(s: string): string {
  let out = '"';
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 92 || c === 127 || (c < 32 && c !== 9 && c !== 10 && c !== 13)) {
      out += `${s.slice(run, i)}\\`;
      run = i;
    } else if (c === 13 || c === 10) {
      out += `${s.slice(run, i)} `;
      run = i + 1;
    }
  }
  return `${out}${s.slice(run)}"`;
}

/**
 * Serializes header parameters. Values already quoted are written as they are; a value that is neither a token
 * nor a host nor quoted is quoted here, so a caller cannot break the header by setting a value with spaces.
 */
export function formatHeaderParams(params: Params): string {
  let s = '';
  for (const name in params) {
    const value = params[name];
    s += `;${name}`;
    if (value === null || value === undefined) continue;
    const quoted = value.length >= 2 && value.charCodeAt(0) === 34 && scanQuoted(value, 0, value.length) === value.length;
    s += `=${quoted || isBareGenValue(value) ? value : quote(value)}`;
  }
  return s;
}

/**
 * Serializes a name-addr (RFC 3261 §20.10), always with angle brackets (so URI parameters cannot be mistaken
 * for header parameters) and a quoted display name when there is one. Display names come from visitors' web
 * forms: quoting escapes `"` and `\` and drops CR/LF, so they cannot inject header lines.
 */
export function formatNameAddr(na: NameAddr): string {
  const uri = `<${formatUri(na.uri)}>${formatHeaderParams(na.params)}`;
  return na.displayName === null ? uri : `${quote(na.displayName)} ${uri}`;
}

/**
 * Splits a header value at top-level commas (RFC 3261 §7.3.1), not inside quoted-strings or `<…>`. Each piece is
 * trimmed of LWS; empty pieces (`a,,b`) are skipped.
 */
export function splitHeaderList(value: string): string[] {
  const out: string[] = [];
  splitHeaderListInto(value, out);
  return out;
}

/** {@link splitHeaderList}, appending to `out` (the parser's header array) instead of a new array. */
export function splitHeaderListInto(value: string, out: string[]): void {
  const end = value.length;
  if (value.indexOf(',') === -1) {
    // One element (most Contact, Route, Via values): nothing to split, only trim.
    let s = 0;
    let e = end;
    while (s < e && isLws(value.charCodeAt(s))) s++;
    while (e > s && isLws(value.charCodeAt(e - 1))) e--;
    if (e > s) out.push(s === 0 && e === end ? value : value.slice(s, e));
    return;
  }
  let start = 0;
  let i = 0;
  // Next quote and next '<' at or after i (-1: none left). Jumping between them with indexOf keeps the common
  // values (one Contact, a dozen Allow tokens) far from a char-by-char loop.
  let nextQuote = value.indexOf('"');
  let nextAngle = value.indexOf('<');
  for (;;) {
    let comma = value.indexOf(',', i);
    if (comma === -1) comma = end;
    if (nextQuote !== -1 && nextQuote < i) nextQuote = value.indexOf('"', i);
    if (nextAngle !== -1 && nextAngle < i) nextAngle = value.indexOf('<', i);
    const quoteFirst = nextQuote !== -1 && (nextAngle === -1 || nextQuote < nextAngle);
    const opener = quoteFirst ? nextQuote : nextAngle;
    if (opener !== -1 && opener < comma) {
      // A comma inside "…" or <…> is data. An unterminated one runs to the end; its own parser reports it.
      const close = quoteFirst ? scanQuoted(value, opener, end) : value.indexOf('>', opener + 1) + 1;
      i = close <= 0 ? end : close;
      continue;
    }
    let s = start;
    let e = comma;
    while (s < e && isLws(value.charCodeAt(s))) s++;
    while (e > s && isLws(value.charCodeAt(e - 1))) e--;
    if (e > s) out.push(s === 0 && e === end ? value : value.slice(s, e));
    if (comma >= end) return;
    start = i = comma + 1;
  }
}
