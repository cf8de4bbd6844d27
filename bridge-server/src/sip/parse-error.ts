import { createHash } from 'node:crypto';
import { SipError } from '../errors.js';
import { headerKey } from './message.js';

/**
 * What could be read from a message that failed to parse: enough to answer it (RFC 3261 §8.2.6.2) when it
 * was a request. Header values are raw (unfolded, trimmed) text, copied verbatim into the error response.
 * A field is null (Via: empty) when it was absent, duplicated or itself malformed.
 */
export interface SipParseParts {
  /** 'request' when the start line looked like `METHOD SP Request-URI SP SIP/x.y`. */
  readonly kind: 'request' | 'response' | null;
  readonly method: string | null;
  /** Every Via header field value, in order (empty when any of them was unreadable). */
  readonly via: readonly string[];
  readonly from: string | null;
  readonly to: string | null;
  readonly callId: string | null;
  readonly cseq: string | null;
  /** True when the To header field value already carries a `tag` parameter. */
  readonly toHasTag: boolean;
}

const NO_PARTS: SipParseParts = Object.freeze({
  kind: null,
  method: null,
  via: Object.freeze([]) as readonly string[],
  from: null,
  to: null,
  callId: null,
  cseq: null,
  toHasTag: false,
});

/**
 * A SIP message that cannot be parsed. `status`/`reason` are the response to send (400 with a reason that says
 * what is wrong, RFC 3261 §21.4.1; 416 for a Request-URI scheme we do not serve, §21.4.14; 505 for another SIP
 * version, §21.5.6 and the RFC 4475 "badvers" case; 513 for an oversized message, §21.5.7).
 */
export class SipParseError extends SipError {
  /** What was readable; {@link errorResponse} needs the request's Via, From, To, Call-ID and CSeq. */
  readonly parts: SipParseParts;

  constructor(status: number, reason: string, parts: SipParseParts = NO_PARTS, options?: { cause?: unknown }) {
    super(status === 513 ? 'SIP_TOO_LARGE' : 'SIP_PARSE', status, reason, options);
    this.parts = parts;
  }

  /** 400 with the reason `Bad Request - <what>` (e.g. `Missing Call-ID`). */
  static override badRequest(what: string, parts?: SipParseParts): SipParseError {
    return new SipParseError(400, `Bad Request - ${what}`, parts);
  }

  /** 513 Message Too Large (RFC 3261 §21.5.7). */
  static override tooLarge(parts?: SipParseParts): SipParseError {
    return new SipParseError(513, 'Message Too Large', parts);
  }

  /** 416 Unsupported URI Scheme: a Request-URI that is not sip/sips (RFC 3261 §8.2.2.1). */
  static unsupportedUriScheme(parts?: SipParseParts): SipParseError {
    return new SipParseError(416, 'Unsupported URI Scheme', parts);
  }

  /** 505 Version Not Supported: a well-formed SIP-Version other than 2.0 (RFC 3261 §21.5.6, RFC 4475 "badvers"). */
  static versionNotSupported(parts?: SipParseParts): SipParseError {
    return new SipParseError(505, 'Version Not Supported', parts);
  }

  /** True when no parts were attached yet (the parser attaches them once, on the slow path). */
  get hasParts(): boolean {
    return this.parts !== NO_PARTS;
  }

  /** The same error with `parts` attached; the original is kept as `cause`. */
  withParts(parts: SipParseParts): SipParseError {
    return new SipParseError(this.status, this.reason, parts, { cause: this });
  }

  /**
   * The serialized error response (RFC 3261 §8.2.6): status line, every Via, From, To (with a tag added when the
   * request had none, §8.2.6.2), Call-ID, CSeq and `Content-Length: 0`. Null when the message was a response or
   * one of those five headers could not be read: then the transport drops and logs the frame (§18.1.2, §18.2.1).
   *
   * The added To tag is derived from the request itself so that a retransmission of the same malformed request
   * gets the same tag, as a stateless UAS must (§8.2.7).
   */
  errorResponse(): string | null {
    const p = this.parts;
    if (p.kind !== 'request' || p.via.length === 0 || p.from === null || p.to === null) return null;
    if (p.callId === null || p.cseq === null) return null;
    let to = p.to;
    if (!p.toHasTag) {
      const tag = createHash('sha256').update(`${p.via[0]}\n${p.from}\n${p.callId}\n${p.cseq}`).digest('hex');
      to += `;tag=${tag.slice(0, 16)}`;
    }
    let out = `SIP/2.0 ${this.status} ${this.reason}\r\n`;
    for (const via of p.via) out += `Via: ${via}\r\n`;
    return `${out}From: ${p.from}\r\nTo: ${to}\r\nCall-ID: ${p.callId}\r\nCSeq: ${p.cseq}\r\nContent-Length: 0\r\n\r\n`;
  }
}

/**
 * The parser's own readers, lent to {@link salvageParts} so that this file depends on no other parser module
 * (which would make an import cycle). Each throws a SipParseError on malformed input; `cseq` returns null.
 */
export interface PartReaders {
  splitList(value: string): string[];
  via(value: string): unknown;
  nameAddr(value: string): { params: Readonly<Record<string, string | null>> };
  cseq(value: string): unknown;
  isToken(value: string): boolean;
}

/**
 * The parser's lenient second pass over a message it rejected: what of the start line and of Via, From, To,
 * Call-ID and CSeq can be read, so that a malformed request can still be answered (RFC 3261 §8.2.6). Only the
 * first `limit` chars are looked at. Errors are rare, so this is written to be simple rather than fast.
 */
export function salvageParts(text: string, limit: number, read: PartReaders): SipParseParts {
  const lines = text.slice(0, limit).split('\n');
  let i = 0;
  while (i < lines.length && lines[i]!.replace(/\r$/, '') === '') i++;
  const start = (lines[i++] ?? '').replace(/\r$/, '');
  let kind: SipParseParts['kind'] = null;
  let method: string | null = null;
  if (/^sip\//i.test(start)) kind = 'response';
  else {
    // Request-shaped: a method token, something, and a last word starting with SIP/ — found with indexOf, as a
    // regex with two open-ended runs could backtrack for long on a hostile 64 KiB line.
    const line = start.trim();
    const sp = line.indexOf(' ');
    const last = line.lastIndexOf(' ');
    const candidate = line.slice(0, sp);
    if (sp > 0 && last > sp + 1 && /^sip\//i.test(line.slice(last + 1)) && read.isToken(candidate)) {
      kind = 'request';
      method = candidate;
    }
  }
  // Unfold the header section.
  const fields: Array<[string, string]> = [];
  for (; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line === '') break;
    if ((line[0] === ' ' || line[0] === '\t') && fields.length > 0) {
      const last = fields[fields.length - 1]!;
      last[1] = `${last[1]} ${line.trim()}`.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon > 0) fields.push([headerKey(line.slice(0, colon).trim()), line.slice(colon + 1).trim()]);
  }
  const only = (key: string): string | null => {
    const found = fields.filter(([k]) => k === key);
    return found.length === 1 ? found[0]![1] : null;
  };
  let via: string[] = [];
  for (const [k, v] of fields) if (k === 'via') for (const one of read.splitList(v)) via.push(one);
  if (!via.every((v) => readable(() => read.via(v)))) via = [];
  const fromRaw = only('from');
  const toRaw = only('to');
  const from = fromRaw !== null && readable(() => read.nameAddr(fromRaw)) ? fromRaw : null;
  const to = toRaw !== null && readable(() => read.nameAddr(toRaw)) ? toRaw : null;
  const callIdRaw = only('call-id');
  const cseqRaw = only('cseq');
  return {
    kind,
    method,
    via,
    from,
    to,
    callId: callIdRaw !== null && callIdRaw !== '' && !/\s/.test(callIdRaw) ? callIdRaw : null,
    cseq: cseqRaw !== null && read.cseq(cseqRaw) !== null ? cseqRaw : null,
    toHasTag: to !== null && hasTag(to, read),
  };
}

/** True when `parse` succeeds, or fails only because a URI has a scheme we do not serve (still copyable). */
function readable(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch (err) {
    return err instanceof SipParseError && err.status === 416;
  }
}

/** Whether a To value already has a tag; for URIs we cannot parse, look at the header params after `>`. */
function hasTag(to: string, read: PartReaders): boolean {
  try {
    return read.nameAddr(to).params.tag !== undefined;
  } catch {
    const gt = to.lastIndexOf('>');
    const params = gt === -1 ? to.slice(Math.max(0, to.indexOf(';'))) : to.slice(gt + 1);
    return /;\s*tag\s*=/i.test(params);
  }
}
