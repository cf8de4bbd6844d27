import { describe, expect, it } from 'vitest';
import { ClosedError } from '../errors.js';
import { ConnectionRegistry, isReliableTransport, sendOn, type SipConnection } from './connection.js';
import { MemoryConnection } from './sip-test-kit.js';

describe('ConnectionRegistry', () => {
  it('finds connections by id and forgets only the same object', () => {
    const reg = new ConnectionRegistry();
    const a = new MemoryConnection();
    reg.add(a);
    expect(reg.get(a.id)).toBe(a);
    const lookalike: SipConnection = { id: a.id, transport: 'WS', remote: a.remote, closed: false, send() {}, close() {} };
    expect(reg.has(lookalike)).toBe(false);
    expect(reg.remove(lookalike)).toBe(false);
    expect(reg.remove(a)).toBe(true);
    expect(reg.size).toBe(0);
  });

  it('closeAll closes every connection', () => {
    const reg = new ConnectionRegistry();
    const conns = [new MemoryConnection(), new MemoryConnection()];
    for (const c of conns) reg.add(c);
    reg.closeAll();
    expect(conns.every((c) => c.closed)).toBe(true);
  });
});

describe('sendOn', () => {
  it('turns any send failure into ClosedError', () => {
    const conn: SipConnection = {
      id: 'x',
      transport: 'WS',
      remote: { address: '127.0.0.1', port: 1 },
      closed: false,
      send() {
        throw new Error('EPIPE');
      },
      close() {},
    };
    expect(() => sendOn(conn, 'x')).toThrow(ClosedError);
    const closed = new MemoryConnection();
    closed.close();
    expect(() => sendOn(closed, 'x')).toThrow(ClosedError);
  });
});

describe('isReliableTransport', () => {
  it('treats only UDP as unreliable', () => {
    expect(isReliableTransport('WSS')).toBe(true);
    expect(isReliableTransport('ws')).toBe(true);
    expect(isReliableTransport('UDP')).toBe(false);
  });
});
