import { describe, expect, it, vi } from 'vitest';
import { ClosedError, SambungError, TimeoutError } from '../errors.js';
import { InviteClientTransaction, inviteClientTransitions, type InviteClientState } from './invite-client-transaction.js';
import type { SipRequest, SipResponse } from './message.js';
import { MemoryConnection, recordingContext, request, response } from './sip-test-kit.js';
import type { ClientTransactionHandlers } from './transaction.js';

function setup(opts: { reliable?: boolean } = {}) {
  const ctx = recordingContext(opts);
  const invite = request('INVITE', { body: 'v=0\r\n', contentType: 'application/sdp' });
  const events: string[] = [];
  const cancels: SipRequest[] = [];
  const errors: SambungError[] = [];
  const handlers: ClientTransactionHandlers = {
    onProvisional: (r: SipResponse) => events.push(`provisional ${r.status}`),
    onFinal: (r: SipResponse) => events.push(`final ${r.status} ${r.to.params.tag}`),
    onError: (e) => errors.push(e),
  };
  const tx = new InviteClientTransaction(invite, new MemoryConnection(), ctx, handlers, (c) => cancels.push(c));
  const states: InviteClientState[] = [];
  tx.on('state', (to) => states.push(to));
  tx.start();
  return { ctx, invite, tx, events, cancels, errors, states };
}

describe('InviteClientTransaction transition table', () => {
  it('allows exactly the moves of RFC 3261 Figure 5 plus RFC 6026 Accepted', () => {
    const legal: Record<InviteClientState, InviteClientState[]> = {
      calling: ['proceeding', 'completed', 'accepted', 'terminated'],
      proceeding: ['completed', 'accepted', 'terminated'],
      completed: ['terminated'],
      accepted: ['terminated'],
      terminated: [],
    };
    const all = Object.keys(legal) as InviteClientState[];
    for (const from of all) for (const to of all) expect(inviteClientTransitions[from].includes(to), `${from}->${to}`).toBe(legal[from].includes(to));
  });
});

describe('InviteClientTransaction', () => {
  it('sends the INVITE once on a reliable transport and times out with Timer B after 64*T1', () => {
    const { ctx, tx, errors, states } = setup();
    expect(ctx.sent).toHaveLength(1);
    ctx.clock.advance(31_999);
    expect(ctx.sent).toHaveLength(1);
    expect(errors).toEqual([]);
    ctx.clock.advance(1);
    expect(errors[0]).toBeInstanceOf(TimeoutError);
    expect(errors[0]!.code).toBe('TRANSACTION_TIMEOUT');
    expect(tx.state).toBe('terminated');
    expect(states).toEqual(['terminated']);
    expect(ctx.clock.pending).toBe(0);
    expect(ctx.terminatedCalls).toBe(1);
  });

  it('retransmits with Timer A doubling on an unreliable transport until a provisional arrives', () => {
    const { ctx, tx, invite } = setup({ reliable: false });
    ctx.clock.advance(500);
    expect(ctx.sent).toHaveLength(2);
    ctx.clock.advance(1000);
    expect(ctx.sent).toHaveLength(3);
    ctx.clock.advance(1999);
    expect(ctx.sent).toHaveLength(3);
    ctx.clock.advance(1);
    expect(ctx.sent).toHaveLength(4);
    tx.receiveResponse(response(invite, 180));
    ctx.clock.advance(60_000);
    expect(ctx.sent).toHaveLength(4);
    expect(tx.state).toBe('proceeding');
  });

  it('reports provisionals and leaves Proceeding without a Timer B', () => {
    const { ctx, tx, invite, events, errors, states } = setup();
    tx.receiveResponse(response(invite, 100));
    tx.receiveResponse(response(invite, 180));
    expect(events).toEqual(['provisional 100', 'provisional 180']);
    expect(states).toEqual(['proceeding']);
    ctx.clock.advance(100_000);
    expect(errors).toEqual([]);
    expect(ctx.clock.pending).toBe(0);
  });

  it('ACKs a 486 itself with the INVITE branch and terminates at once on a reliable transport', () => {
    const { ctx, tx, invite, events, states } = setup();
    tx.receiveResponse(response(invite, 180));
    tx.receiveResponse(response(invite, 486));
    const ack = ctx.sent[1] as SipRequest;
    expect(ack.method).toBe('ACK');
    expect(ack.via[0]!.params.branch).toBe(invite.via[0]!.params.branch);
    expect(ack.to.params.tag).toBe('uas-tag');
    expect(events).toEqual(['provisional 180', 'final 486 uas-tag']);
    expect(states).toEqual(['proceeding', 'completed', 'terminated']);
    expect(ctx.clock.pending).toBe(0);
  });

  it('re-ACKs a retransmitted final response in Completed without telling the TU again', () => {
    const { ctx, tx, invite, events } = setup({ reliable: false });
    tx.receiveResponse(response(invite, 603));
    tx.receiveResponse(response(invite, 603));
    expect(ctx.sent.filter((m) => m.kind === 'request' && m.method === 'ACK')).toHaveLength(2);
    expect(events).toEqual(['final 603 uas-tag']);
    expect(tx.state).toBe('completed');
    ctx.clock.advance(32_000);
    expect(tx.state).toBe('terminated');
  });

  it('passes a 2xx to the TU, absorbs its retransmissions and re-sends the TU ACK for them', () => {
    const { ctx, tx, invite, events, states } = setup();
    const ok = response(invite, 200);
    tx.receiveResponse(ok);
    expect(states).toEqual(['accepted']);
    tx.receiveResponse(ok);
    expect(events).toEqual(['final 200 uas-tag']);
    expect(ctx.sent).toHaveLength(1);
    const ack = { ...request('ACK'), to: ok.to };
    tx.ackSent(ack);
    tx.receiveResponse(ok);
    expect(ctx.sent[1]).toBe(ack);
  });

  it('reports a 2xx from another fork and terminates with Timer M', () => {
    const { ctx, tx, invite, events } = setup();
    tx.receiveResponse(response(invite, 200));
    tx.receiveResponse(response(invite, 200, { toTag: 'fork-2' }));
    expect(events).toEqual(['final 200 uas-tag', 'final 200 fork-2']);
    ctx.clock.advance(32_000);
    expect(tx.state).toBe('terminated');
    expect(ctx.clock.pending).toBe(0);
  });

  it('holds a CANCEL until a provisional arrives, then sends it once (RFC 3261 §9.1)', () => {
    const { tx, invite, cancels } = setup();
    tx.cancel();
    tx.cancel();
    expect(cancels).toEqual([]);
    tx.receiveResponse(response(invite, 180));
    expect(cancels).toHaveLength(1);
    expect(cancels[0]!.method).toBe('CANCEL');
    expect(cancels[0]!.via[0]!.params.branch).toBe(invite.via[0]!.params.branch);
    tx.receiveResponse(response(invite, 183));
    expect(cancels).toHaveLength(1);
    expect(tx.cancelRequested).toBe(true);
  });

  it('sends CANCEL at once in Proceeding and never after a final response', () => {
    const a = setup();
    a.tx.receiveResponse(response(a.invite, 180));
    a.tx.cancel();
    expect(a.cancels).toHaveLength(1);
    const b = setup();
    b.tx.receiveResponse(response(b.invite, 200));
    b.tx.cancel();
    expect(b.cancels).toEqual([]);
  });

  it('gives up 64*T1 after a CANCEL that brings no final response', () => {
    const { ctx, tx, invite, errors } = setup();
    tx.receiveResponse(response(invite, 180));
    tx.cancel();
    ctx.clock.advance(32_000);
    expect(errors[0]).toBeInstanceOf(TimeoutError);
    expect(tx.state).toBe('terminated');
  });

  it('fails with ClosedError when its connection closes before a final response', () => {
    const { tx, errors, ctx } = setup();
    tx.connectionClosed();
    tx.connectionClosed();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ClosedError);
    expect(errors[0]!.code).toBe('TRANSPORT_CLOSED');
    expect(ctx.clock.pending).toBe(0);
  });

  it('reports a failed retransmission as a transport error', () => {
    const { ctx, errors, tx } = setup({ reliable: false });
    ctx.failSends = true;
    ctx.clock.advance(500);
    expect(errors[0]).toBeInstanceOf(ClosedError);
    expect(tx.state).toBe('terminated');
  });

  it('throws from start() when the INVITE cannot be sent', () => {
    const ctx = recordingContext();
    ctx.failSends = true;
    const tx = new InviteClientTransaction(request('INVITE'), new MemoryConnection(), ctx, {}, () => {});
    expect(() => tx.start()).toThrow(ClosedError);
  });

  it('keeps working when a TU callback throws', () => {
    const ctx = recordingContext();
    const invite = request('INVITE');
    const onFinal = vi.fn(() => {
      throw new Error('bad listener');
    });
    const tx = new InviteClientTransaction(invite, new MemoryConnection(), ctx, { onFinal }, () => {});
    tx.start();
    tx.receiveResponse(response(invite, 480));
    expect(onFinal).toHaveBeenCalledOnce();
    expect(tx.state).toBe('terminated');
    expect((ctx.sent[1] as SipRequest).method).toBe('ACK');
  });
});
