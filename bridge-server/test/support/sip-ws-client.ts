import { createHash, randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { parseMessage } from '../../src/sip/parser.js';
import type { SipMessage, SipRequest, SipResponse } from '../../src/sip/message.js';
import { getHeader } from '../../src/sip/message.js';

/**
 * A deliberately simple SIP-over-WebSocket client for integration tests: it writes requests and responses as
 * raw text (so tests show exactly what goes on the wire, independent of our serializer) and reads with our
 * parser. It is not a user agent: tests drive every step.
 */
export class SipWsClient {
  readonly ws: WebSocket;
  readonly received: SipMessage[] = [];
  readonly raw: string[] = [];
  readonly #waiters: { match: (m: SipMessage) => boolean; resolve: (m: SipMessage) => void }[] = [];
  readonly #seen = new WeakSet<SipMessage>();
  readonly host = `${randomBytes(4).toString('hex')}.invalid`;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      const text = data.toString();
      this.raw.push(text);
      const msg = parseMessage(text);
      this.received.push(msg);
      const i = this.#waiters.findIndex((w) => w.match(msg));
      if (i >= 0) {
        this.#seen.add(msg);
        this.#waiters.splice(i, 1)[0]!.resolve(msg);
      }
    });
  }

  static async connect(url: string, protocol: string | null = 'sip'): Promise<SipWsClient> {
    const ws = protocol ? new WebSocket(url, protocol) : new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    return new SipWsClient(ws);
  }

  send(text: string): void {
    this.ws.send(text.replace(/\r?\n/g, '\r\n'));
  }

  /** The next message (already received and not yet consumed, or future) that matches. */
  next<T extends SipMessage = SipMessage>(match: (m: SipMessage) => boolean, timeoutMs = 10_000): Promise<T> {
    const existing = this.received.find((m) => !this.#seen.has(m) && match(m));
    if (existing) {
      this.#seen.add(existing);
      return Promise.resolve(existing as T);
    }
    return new Promise<T>((resolve, reject) => {
      const waiter = { match, resolve: resolve as (m: SipMessage) => void };
      this.#waiters.push(waiter);
      setTimeout(() => {
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) {
          this.#waiters.splice(i, 1);
          reject(new Error(`timed out waiting for a SIP message; received: ${this.received.map(describe).join(', ')}`));
        }
      }, timeoutMs);
    });
  }

  response(cseqMethod: string, status?: number, callId?: string): Promise<SipResponse> {
    return this.next<SipResponse>(
      (m) =>
        m.kind === 'response' &&
        m.cseq.method === cseqMethod &&
        (status === undefined || m.status === status) &&
        (callId === undefined || m.callId === callId),
    );
  }

  request(method: string, callId?: string): Promise<SipRequest> {
    return this.next<SipRequest>((m) => m.kind === 'request' && m.method === method && (callId === undefined || m.callId === callId));
  }

  /** Answer a request we received, echoing the mandatory headers (RFC 3261 §8.2.6). */
  reply(req: SipRequest, status: number, reason: string, opts: { toTag?: string; headers?: string[]; body?: string } = {}): void {
    const vias = rawHeaders(this.raw, req, 'via');
    const to = rawHeader(this.raw, req, 'to') + (opts.toTag && !req.to.params.tag ? `;tag=${opts.toTag}` : '');
    const body = opts.body ?? '';
    this.send(
      [
        `SIP/2.0 ${status} ${reason}`,
        ...vias.map((v) => `Via: ${v}`),
        `From: ${rawHeader(this.raw, req, 'from')}`,
        `To: ${to}`,
        `Call-ID: ${req.callId}`,
        `CSeq: ${req.cseq.seq} ${req.cseq.method}`,
        ...(opts.headers ?? []),
        `Content-Length: ${Buffer.byteLength(body)}`,
        '',
        body,
      ].join('\r\n'),
    );
  }

  close(): void {
    this.ws.close();
  }
}

function describe(m: SipMessage): string {
  return m.kind === 'request' ? m.method : `${m.status} ${m.cseq.method}`;
}

/** The raw header values of a received message, found by its Call-ID and CSeq in the raw frames. */
function rawHeaders(raw: string[], msg: SipMessage, name: string): string[] {
  const frame = raw.find((r) => r.includes(msg.callId) && new RegExp(`^CSeq:\\s*${msg.cseq.seq}\\s+${msg.cseq.method}`, 'mi').test(r) && r.startsWith(msg.kind === 'request' ? (msg as SipRequest).method : 'SIP/2.0'));
  if (!frame) throw new Error('frame not found');
  const head = frame.split('\r\n\r\n')[0]!;
  const short: Record<string, string> = { via: 'v', from: 'f', to: 't' };
  return head
    .split('\r\n')
    .slice(1)
    .filter((l) => new RegExp(`^(${name}|${short[name] ?? name})\\s*:`, 'i').test(l))
    .flatMap((l) => l.slice(l.indexOf(':') + 1).trim().split(/,(?![^<]*>)/).map((s) => s.trim()));
}

function rawHeader(raw: string[], msg: SipMessage, name: string): string {
  return rawHeaders(raw, msg, name)[0]!;
}

/** RFC 2617 digest response with qop=auth, computed here independently of the bridge's implementation. */
export function digestAuthorization(
  challenge: string,
  opts: { username: string; password: string; method: string; uri: string; nc?: number },
): string {
  const param = (name: string) => new RegExp(`${name}="?([^",]+)"?`, 'i').exec(challenge)?.[1] ?? '';
  const realm = param('realm');
  const nonce = param('nonce');
  const md5 = (s: string) => createHash('md5').update(s).digest('hex');
  const nc = (opts.nc ?? 1).toString(16).padStart(8, '0');
  const cnonce = randomBytes(8).toString('hex');
  const ha1 = md5(`${opts.username}:${realm}:${opts.password}`);
  const ha2 = md5(`${opts.method}:${opts.uri}`);
  const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
  return `Digest username="${opts.username}", realm="${realm}", nonce="${nonce}", uri="${opts.uri}", response="${response}", algorithm=MD5, qop=auth, nc=${nc}, cnonce="${cnonce}"`;
}

export { getHeader };
