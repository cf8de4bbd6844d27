import { describe, expect, it } from 'vitest';
import { ClosedError, SambungError, TimeoutError } from '../errors.js';
import {
  NonInviteClientTransaction,
  nonInviteClientTransitions,
  type NonInviteClientState,
} from './non-invite-client-transaction.js';
import { MemoryConnection, recordingContext, request, response } from './sip-test-kit.js';

function setup(opts: { reliable?: boolean } = {}) {
  const ctx = recordingContext(opts);
  const req = request('OPTIONS');
  const events: string[] = [];
  const errors: SambungError[] = [];
  const tx = new NonInviteClientTransaction(req, new MemoryConnection(), ctx, {
    onProvisional: (r) => events.push(`provisional ${r.status}`),
    onFinal: (r) => events.push(`final ${r.status}`),
    onError: (e) => errors.push(e),
  });
  const states: NonInviteClientState[] = [];
  tx.on('state', (to) => states.push(to));
  tx.start();
  return { ctx, req, tx, events, errors, states };
}

describe('NonInviteClientTransaction transition table', () => {
  it('allows exactly the moves of RFC 3261 Figure 6', () => {
    const legal: Record<NonInviteClientState, NonInviteClientState[]> = {
      trying: ['proceeding', 'completed', 'terminated'],
      proceeding: ['completed', 'terminated'],
      completed: ['terminated'],
      terminated: [],
    };
    const all = Object.keys(legal) as NonInviteClientState[];
    for (const from of all) for (const to of all) expect(nonInviteClientTransitions[from].includes(to), `${from}->${to}`).toBe(legal[from].includes(to));
  });
});

describe('NonInviteClientTransaction', () => {
  it('reports the final response and terminates at once on a reliable transport (Timer K = 0)', () => {
    const { ctx, tx, req, events, states } = setup();
    tx.receiveResponse(response(req, 200));
    expect(events).toEqual(['final 200']);
    expect(states).toEqual(['completed', 'terminated']);
    expect(ctx.clock.pending).toBe(0);
    tx.receiveResponse(response(req, 200));
    expect(events).toEqual(['final 200']);
  });

  it('times out with Timer F after 64*T1', () => {
    const { ctx, tx, errors } = setup();
    ctx.clock.advance(31_999);
    expect(errors).toEqual([]);
    ctx.clock.advance(1);
    expect(errors[0]).toBeInstanceOf(TimeoutError);
    expect(tx.state).toBe('terminated');
    expect(ctx.clock.pending).toBe(0);
  });

  it('still times out with Timer F in Proceeding', () => {
    const { ctx, tx, req, errors, events } = setup();
    tx.receiveResponse(response(req, 100));
    expect(events).toEqual(['provisional 100']);
    expect(tx.state).toBe('proceeding');
    ctx.clock.advance(32_000);
    expect(errors[0]).toBeInstanceOf(TimeoutError);
  });

  it('retransmits with Timer E doubling to T2, then every T2 in Proceeding, on an unreliable transport', () => {
    const { ctx, tx, req } = setup({ reliable: false });
    const sendsAt: number[] = [];
    const start = ctx.clock.now();
    for (let t = 0; t < 12_000; t += 100) {
      const before = ctx.sent.length;
      ctx.clock.advance(100);
      if (ctx.sent.length > before) sendsAt.push(ctx.clock.now() - start);
    }
    expect(sendsAt).toEqual([500, 1500, 3500, 7500, 11_500]);
    tx.receiveResponse(response(req, 100));
    const n = ctx.sent.length;
    ctx.clock.advance(4000);
    expect(ctx.sent.length).toBe(n + 1);
  });

  it('waits T4 in Completed on an unreliable transport, absorbing retransmitted responses', () => {
    const { ctx, tx, req, events } = setup({ reliable: false });
    tx.receiveResponse(response(req, 404));
    tx.receiveResponse(response(req, 404));
    expect(events).toEqual(['final 404']);
    expect(tx.state).toBe('completed');
    ctx.clock.advance(5000);
    expect(tx.state).toBe('terminated');
    expect(ctx.clock.pending).toBe(0);
  });

  it('fails with ClosedError when the connection closes, and not after completing', () => {
    const a = setup();
    a.tx.connectionClosed();
    expect(a.errors[0]).toBeInstanceOf(ClosedError);
    const b = setup({ reliable: false });
    b.tx.receiveResponse(response(b.req, 200));
    b.tx.connectionClosed();
    expect(b.errors).toEqual([]);
    expect(b.tx.state).toBe('terminated');
  });

  it('ignores cancel(), which applies to INVITE only', () => {
    const { tx, ctx } = setup();
    tx.cancel();
    expect(ctx.sent).toHaveLength(1);
    expect(tx.state).toBe('trying');
  });
});
