import { describe, expect, it } from 'vitest';
import { ClosedError, SambungError, TransitionError } from '../errors.js';
import type { SipResponse } from './message.js';
import {
  NonInviteServerTransaction,
  nonInviteServerTransitions,
  type NonInviteServerState,
} from './non-invite-server-transaction.js';
import { MemoryConnection, recordingContext, request, response } from './sip-test-kit.js';

function setup(opts: { reliable?: boolean; localTag?: string } = {}) {
  const ctx = recordingContext(opts);
  const req = request('REGISTER');
  const tx = new NonInviteServerTransaction(req, new MemoryConnection(), ctx, opts.localTag);
  const states: NonInviteServerState[] = [];
  const failures: SambungError[] = [];
  tx.on('state', (to) => states.push(to));
  tx.on('failed', (e) => failures.push(e));
  const statuses = (): number[] => ctx.sent.map((m) => (m as SipResponse).status);
  return { ctx, req, tx, states, failures, statuses };
}

describe('NonInviteServerTransaction transition table', () => {
  it('allows exactly the moves of RFC 3261 Figure 8', () => {
    const legal: Record<NonInviteServerState, NonInviteServerState[]> = {
      trying: ['proceeding', 'completed', 'terminated'],
      proceeding: ['completed', 'terminated'],
      completed: ['terminated'],
      terminated: [],
    };
    const all = Object.keys(legal) as NonInviteServerState[];
    for (const from of all) for (const to of all) expect(nonInviteServerTransitions[from].includes(to), `${from}->${to}`).toBe(legal[from].includes(to));
  });
});

describe('NonInviteServerTransaction', () => {
  it('absorbs retransmissions in Trying, sends nothing until the TU answers', () => {
    const { tx, ctx } = setup();
    tx.receiveRequest();
    expect(ctx.sent).toEqual([]);
    expect(tx.state).toBe('trying');
  });

  it('re-sends the last provisional on a retransmission in Proceeding', () => {
    const { tx, statuses, states } = setup();
    tx.respond(100);
    tx.receiveRequest();
    expect(statuses()).toEqual([100, 100]);
    expect(states).toEqual(['proceeding']);
  });

  it('sends the final response with the local tag and terminates at once on a reliable transport (Timer J = 0)', () => {
    const { tx, ctx, states } = setup({ localTag: 'reg-tag' });
    const res = tx.respond(200, { headers: { Expires: '600' } });
    expect(res.to.params.tag).toBe('reg-tag');
    expect(states).toEqual(['completed', 'terminated']);
    expect(ctx.clock.pending).toBe(0);
    expect(tx.answered).toBe(true);
  });

  it('re-sends the final response for retransmissions during Timer J on an unreliable transport', () => {
    const { tx, ctx, statuses } = setup({ reliable: false });
    tx.respond(401, { reason: 'Unauthorized', headers: { 'WWW-Authenticate': 'Digest realm="x"' } });
    tx.receiveRequest();
    expect(statuses()).toEqual([401, 401]);
    ctx.clock.advance(31_999);
    expect(tx.state).toBe('completed');
    ctx.clock.advance(1);
    expect(tx.state).toBe('terminated');
  });

  it('sends a response object built by the TU as it is', () => {
    const { tx, ctx, req } = setup();
    const own = response(req, 423, { headers: { 'Min-Expires': '60' } });
    expect(tx.respond(own)).toBe(own);
    expect(ctx.sent).toEqual([own]);
  });

  it('refuses a second final response with TransitionError', () => {
    const { tx } = setup({ reliable: false });
    tx.respond(200);
    expect(() => tx.respond(500)).toThrow(TransitionError);
  });

  it('reports a failed send as a transport error and terminates', () => {
    const { tx, ctx, failures } = setup();
    ctx.failSends = true;
    tx.respond(200);
    expect(failures[0]).toBeInstanceOf(ClosedError);
    expect(tx.state).toBe('terminated');
  });

  it('tells the TU of a closed connection only while it still owes a response', () => {
    const a = setup();
    a.tx.connectionClosed();
    expect(a.failures).toHaveLength(1);
    const b = setup({ reliable: false });
    b.tx.respond(200);
    b.tx.connectionClosed();
    expect(b.failures).toEqual([]);
    expect(b.tx.state).toBe('terminated');
    expect(b.ctx.clock.pending).toBe(0);
  });
});
