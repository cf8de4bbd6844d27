/**
 * The contract between a SIP transport and the stack (CONVENTIONS #5, after SIP.js `api/transport.ts`).
 *
 * On a WebSocket (RFC 7118) every connection is a flow (RFC 5626): the only way to reach the agent behind
 * it is this connection, and responses go back on the connection the request came in on (RFC 7118 §5).
 */
import { ClosedError } from '../errors.js';

export type SipTransportName = 'WS' | 'WSS';

/**
 * One transport connection.
 *
 * An implementation:
 * - MUST give each connection an `id` unique within the process;
 * - MUST deliver each complete SIP message it receives to `SipStack.receive(conn, text)` exactly once, in
 *   arrival order, and MUST call `SipStack.connectionClosed(conn)` exactly once when the connection ends
 *   (whoever closed it), after which `closed` is true;
 * - `send(text)` MUST either hand the whole message to the wire or throw `ClosedError.transport()`; it MUST
 *   NOT fragment a message across frames (RFC 7118 §5) and MUST NOT throw anything else;
 * - `close()` MUST be idempotent and MUST NOT throw.
 */
export interface SipConnection {
  readonly id: string;
  readonly transport: SipTransportName;
  readonly remote: { address: string; port: number };
  readonly closed: boolean;
  send(text: string): void;
  close(): void;
}

/** Whether a transport is reliable (RFC 3261 §17: no retransmission timers, zero-length wait timers). */
export function isReliableTransport(transport: string): boolean {
  return transport.toUpperCase() !== 'UDP';
}

/** The live connections, by id. */
export class ConnectionRegistry {
  readonly #byId = new Map<string, SipConnection>();

  add(conn: SipConnection): void {
    this.#byId.set(conn.id, conn);
  }

  /** Forget a connection; true when it was known. */
  remove(conn: SipConnection): boolean {
    return this.#byId.get(conn.id) === conn && this.#byId.delete(conn.id);
  }

  get(id: string): SipConnection | undefined {
    return this.#byId.get(id);
  }

  has(conn: SipConnection): boolean {
    return this.#byId.get(conn.id) === conn;
  }

  get size(): number {
    return this.#byId.size;
  }

  values(): IterableIterator<SipConnection> {
    return this.#byId.values();
  }

  /** Close every connection (each then reports its own close). */
  closeAll(): void {
    for (const conn of [...this.#byId.values()]) conn.close();
  }
}

/**
 * Send on a connection, turning anything unexpected into `ClosedError.transport()` so callers handle one
 * failure type.
 */
export function sendOn(conn: SipConnection, text: string): void {
  if (conn.closed) throw ClosedError.transport();
  try {
    conn.send(text);
  } catch (error) {
    if (error instanceof ClosedError) throw error;
    throw new ClosedError('TRANSPORT_CLOSED', 'transport send failed', { cause: error });
  }
}
