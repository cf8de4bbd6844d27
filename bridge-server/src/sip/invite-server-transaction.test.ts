import { describe, expect, it } from 'vitest';
import { ClosedError, SambungError, TimeoutError, TransitionError } from '../errors.js';
import { InviteServerTransaction, inviteServerTransitions, type InviteServerState } from './invite-server-transaction.js';
import type { SipResponse } from './message.js';
import { MemoryConnection, recordingContext, request } from './sip-test-kit.js';

function setup(opts: { reliable?: boolean } = {}) {
  const ctx = recordingContext(opts);
  const invite = request('INVITE');
  const tx = new InviteServerTransaction(invite, new MemoryConnection(), ctx);
  const states: InviteServerState[] = [];
  const failures: SambungError[] = [];
  tx.on('state', (to) => states.push(to));
  tx.on('failed', (e) => failures.push(e));
  const statuses = (): number[] => ctx.sent.map((m) => (m as SipResponse).status);
  return { ctx, invite, tx, states, failures, statuses };
}

describe('InviteServerTransaction transition table', () => {
  it('allows exactly the moves of RFC 3261 Figure 7 plus RFC 6026 Accepted', () => {
    const legal: Record<InviteServerState, InviteServerState[]> = {
      proceeding: ['completed', 'accepted', 'terminated'],
      completed: ['confirmed', 'terminated'],
      confirmed: ['terminated'],
      accepted: ['terminated'],
      terminated: [],
    };
    const all = Object.keys(legal) as InviteServerState[];
    for (const from of all) for (const to of all) expect(inviteServerTransitions[from].includes(to), `${from}->${to}`).toBe(legal[from].includes(to));
  });
});

describe('InviteServerTransaction', () => {
  it('answers 100 Trying at once without a To tag', () => {
    const { ctx, tx } = setup();
    const trying = ctx.sent[0] as SipResponse;
    expect(trying.status).toBe(100);
    expect(trying.to.params.tag).toBeUndefined();
    expect(tx.state).toBe('proceeding');
    expect(tx.answered).toBe(false);
  });

  it('uses one To tag for every response and re-sends the last provisional on a retransmitted INVITE', () => {
    const { tx, statuses, ctx } = setup();
    const ringing = tx.respond(180);
    tx.receiveRequest();
    expect(statuses()).toEqual([100, 180, 180]);
    const ok = tx.respond(200, { body: 'v=0\r\n', contentType: 'application/sdp' });
    expect(ringing.to.params.tag).toBe(tx.localTag);
    expect(ok.to.params.tag).toBe(tx.localTag);
    expect(ctx.sent[3]).toBe(ok);
  });

  it('moves to Accepted on 2xx, passes 2xx retransmissions, absorbs INVITE retransmissions and ends with Timer L', () => {
    const { ctx, tx, states, statuses } = setup();
    tx.respond(200);
    tx.respond(200);
    tx.receiveRequest();
    expect(statuses()).toEqual([100, 200, 200]);
    expect(states).toEqual(['accepted']);
    expect(tx.receiveAck()).toBe(false);
    ctx.clock.advance(32_000);
    expect(tx.state).toBe('terminated');
    expect(ctx.clock.pending).toBe(0);
  });

  it('waits for the ACK of a non-2xx, absorbs it and terminates at once on a reliable transport', () => {
    const { ctx, tx, states } = setup();
    tx.respond(486);
    expect(tx.state).toBe('completed');
    expect(tx.answered).toBe(true);
    expect(tx.receiveAck()).toBe(true);
    expect(states).toEqual(['completed', 'confirmed', 'terminated']);
    expect(ctx.clock.pending).toBe(0);
  });

  it('re-sends the final response for a retransmitted INVITE in Completed', () => {
    const { tx, statuses } = setup();
    tx.respond(487);
    tx.receiveRequest();
    expect(statuses()).toEqual([100, 487, 487]);
  });

  it('reports Timer H when no ACK comes within 64*T1', () => {
    const { ctx, tx, failures } = setup();
    tx.respond(404);
    ctx.clock.advance(32_000);
    expect(failures[0]).toBeInstanceOf(TimeoutError);
    expect(tx.state).toBe('terminated');
    expect(ctx.clock.pending).toBe(0);
  });

  it('retransmits the final response with Timer G capped at T2 and waits T4 in Confirmed on an unreliable transport', () => {
    const { ctx, tx, statuses } = setup({ reliable: false });
    tx.respond(480);
    ctx.clock.advance(500 + 1000 + 2000 + 4000 + 4000);
    expect(statuses()).toEqual([100, 480, 480, 480, 480, 480, 480]);
    tx.receiveAck();
    expect(tx.state).toBe('confirmed');
    ctx.clock.advance(4999);
    expect(tx.state).toBe('confirmed');
    ctx.clock.advance(1);
    expect(tx.state).toBe('terminated');
    expect(statuses()).toHaveLength(7);
    expect(ctx.clock.pending).toBe(0);
  });

  it('refuses a provisional or a second final response after the final one', () => {
    const { tx } = setup();
    tx.respond(486);
    expect(() => tx.respond(180)).toThrow(TransitionError);
    expect(() => tx.respond(500)).toThrow(TransitionError);
    expect(() => tx.respond(200)).toThrow(TransitionError);
  });

  it('reports a failed send and terminates; responding afterwards is a no-op', () => {
    const { ctx, tx, failures } = setup();
    ctx.failSends = true;
    tx.respond(180);
    expect(failures[0]).toBeInstanceOf(ClosedError);
    expect(tx.state).toBe('terminated');
    ctx.failSends = false;
    tx.respond(200);
    expect(ctx.sent).toHaveLength(1);
  });

  it('tells the TU when the connection closes before a final response, and not after', () => {
    const a = setup();
    a.tx.connectionClosed();
    expect(a.failures[0]).toBeInstanceOf(ClosedError);
    const b = setup();
    b.tx.respond(200);
    b.tx.connectionClosed();
    expect(b.failures).toEqual([]);
    expect(b.tx.state).toBe('terminated');
  });

  it('accepts a CANCEL only once and only while proceeding', () => {
    const { tx } = setup();
    expect(tx.markCancelled()).toBe(true);
    expect(tx.markCancelled()).toBe(false);
    expect(tx.cancelled).toBe(true);
    const b = setup();
    b.tx.respond(200);
    expect(b.tx.markCancelled()).toBe(false);
  });
});
