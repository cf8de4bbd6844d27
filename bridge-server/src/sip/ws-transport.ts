/**
 * SIP over WebSocket (RFC 7118) on the HTTP server's own port, path `/sip`.
 *
 * - The handshake must offer the `sip` subprotocol (RFC 7118 §4); other upgrades to `/sip` get HTTP 400.
 * - One SIP message per frame, text or binary (binary is decoded as UTF-8) (RFC 7118 §5).
 * - Frames up to `maxMessageBytes` + slack reach the parser, which answers an oversized request 513; bigger
 *   frames make `ws` close the socket with 1009. Nothing a peer sends can throw out of the transport.
 * - Keepalive is WebSocket ping/pong (JsSIP does not send RFC 5626 CRLF pings): a socket that has not
 *   answered the previous ping when the next one is due is terminated.
 * - Behind a TLS-terminating proxy set `trustProxy` so connections are `WSS` and carry the client address.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { systemClock, type Clock, type TimerHandle } from '../clock.js';
import { ClosedError } from '../errors.js';
import type { SipConnection, SipTransportName } from './connection.js';
import type { SipStack } from './sip-stack.js';
import { silentLogger, type SipLogger } from './transaction.js';

export interface WsSipTransportOptions {
  server: HttpServer | HttpsServer;
  stack: SipStack;
  /** Default `/sip`. */
  path?: string;
  clock?: Clock;
  logger?: SipLogger;
  /** Default 30 s. */
  pingIntervalMs?: number;
  /** Must match the stack's `maxMessageBytes` (default 65536); frames above this plus 64 KiB close the socket. */
  maxMessageBytes?: number;
  /** Take the client address and TLS from `X-Forwarded-For` / `X-Forwarded-Proto`. Default false. */
  trustProxy?: boolean;
  /** Accept or refuse (HTTP 403) a handshake by its Origin header. Default: accept. */
  allowOrigin?: (origin: string | undefined) => boolean;
}

const SLACK_BYTES = 64 * 1024;

class WsConnection implements SipConnection {
  readonly id = `ws-${randomUUID()}`;
  readonly transport: SipTransportName;
  readonly remote: { address: string; port: number };
  alive = true;
  readonly #ws: WebSocket;
  readonly #onClosed: (conn: WsConnection) => void;
  #closed = false;

  constructor(ws: WebSocket, transport: SipTransportName, remote: { address: string; port: number }, onClosed: (c: WsConnection) => void) {
    this.#ws = ws;
    this.transport = transport;
    this.remote = remote;
    this.#onClosed = onClosed;
  }

  get closed(): boolean {
    return this.#closed;
  }

  send(text: string): void {
    if (this.#closed || this.#ws.readyState !== WebSocket.OPEN) throw ClosedError.transport();
    this.#ws.send(text);
  }

  ping(): void {
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.ping();
  }

  close(code = 1000, reason = ''): void {
    if (this.#closed) return;
    this.#ws.close(code, reason);
    this.markClosed();
  }

  terminate(): void {
    this.#ws.terminate();
    this.markClosed();
  }

  /** The socket is gone (or going): tell the stack once. */
  markClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#onClosed(this);
  }
}

function text(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

function reject(socket: Duplex, status: number, reason: string, body: string): void {
  const head = `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
  socket.once('finish', () => socket.destroy());
  socket.end(head + body);
}

export class WsSipTransport {
  readonly #server: HttpServer | HttpsServer;
  readonly #stack: SipStack;
  readonly #path: string;
  readonly #clock: Clock;
  readonly #logger: SipLogger;
  readonly #pingMs: number;
  readonly #trustProxy: boolean;
  readonly #allowOrigin: (origin: string | undefined) => boolean;
  readonly #wss: WebSocketServer;
  readonly #conns = new Set<WsConnection>();
  #pingTimer: TimerHandle | null = null;
  #closed = false;

  constructor(opts: WsSipTransportOptions) {
    this.#server = opts.server;
    this.#stack = opts.stack;
    this.#path = opts.path ?? '/sip';
    this.#clock = opts.clock ?? systemClock;
    this.#logger = opts.logger ?? silentLogger;
    this.#pingMs = opts.pingIntervalMs ?? 30_000;
    this.#trustProxy = opts.trustProxy ?? false;
    this.#allowOrigin = opts.allowOrigin ?? (() => true);
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: (opts.maxMessageBytes ?? 65536) + SLACK_BYTES,
      handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false),
      perMessageDeflate: false,
    });
    this.#server.on('upgrade', this.#onUpgrade);
    this.#schedulePing();
  }

  /** Live connections. */
  get size(): number {
    return this.#conns.size;
  }

  get closed(): boolean {
    return this.#closed;
  }

  readonly #onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      return;
    }
    if (pathname !== this.#path) return; // another handler's upgrade
    socket.on('error', (err) => this.#logger.debug({ err }, 'sip websocket handshake socket error'));
    if (this.#closed) return reject(socket, 503, 'Service Unavailable', 'shutting down\n');
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (!offered.includes('sip')) {
      this.#logger.info({ offered, address: req.socket.remoteAddress }, 'websocket without the sip subprotocol refused');
      return reject(socket, 400, 'Bad Request', 'the "sip" WebSocket subprotocol is required (RFC 7118 §4)\n');
    }
    if (!this.#allowOrigin(req.headers.origin)) return reject(socket, 403, 'Forbidden', 'origin not allowed\n');
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#onConnection(ws, req));
  };

  #onConnection(ws: WebSocket, req: IncomingMessage): void {
    const forwardedProto = String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]?.trim().toLowerCase();
    const secure = req.socket instanceof TLSSocket || (this.#trustProxy && forwardedProto === 'https');
    const forwardedFor = String(req.headers['x-forwarded-for'] ?? '').split(',')[0]?.trim();
    const address = (this.#trustProxy && forwardedFor) || req.socket.remoteAddress || '0.0.0.0';
    const conn = new WsConnection(ws, secure ? 'WSS' : 'WS', { address, port: req.socket.remotePort ?? 0 }, (c) => {
      this.#conns.delete(c);
      this.#stack.connectionClosed(c);
    });
    if (this.#closed) {
      conn.close(1001, 'going away');
      return;
    }
    this.#conns.add(conn);
    this.#stack.connectionOpened(conn);
    ws.on('message', (data) => {
      conn.alive = true;
      const message = text(data);
      if (message.trim() === '') {
        // RFC 5626 §4.4.1 CRLF keepalive (SIP.js sends it on WebSocket too): answer the ping with a pong.
        if (message === '\r\n\r\n') this.#sendRaw(conn, '\r\n');
        return;
      }
      this.#stack.receive(conn, message);
    });
    ws.on('pong', () => {
      conn.alive = true;
    });
    ws.on('error', (err) => this.#logger.debug({ err, conn: conn.id }, 'sip websocket error'));
    ws.on('close', (code) => {
      this.#logger.debug({ conn: conn.id, code }, 'sip websocket closed');
      conn.markClosed();
    });
  }

  #sendRaw(conn: WsConnection, data: string): void {
    try {
      conn.send(data);
    } catch {
      // closing
    }
  }

  #schedulePing(): void {
    if (this.#closed || this.#pingMs <= 0) return;
    this.#pingTimer = this.#clock.setTimeout(() => {
      for (const conn of [...this.#conns]) {
        if (!conn.alive) {
          this.#logger.info({ conn: conn.id }, 'sip websocket missed its pong; dropping it');
          conn.terminate();
          continue;
        }
        conn.alive = false;
        conn.ping();
      }
      this.#schedulePing();
    }, this.#pingMs);
  }

  /** Stop accepting, close every connection (1001), detach from the HTTP server. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pingTimer?.cancel();
    this.#server.off('upgrade', this.#onUpgrade);
    for (const conn of [...this.#conns]) conn.close(1001, 'going away');
    this.#wss.close();
  }
}
