import { RtpHeader, RtpPacket } from 'werift';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { TransitionError } from '../errors.js';
import type { MediaLeg } from '../media/media-leg.js';
import type { SipConnection } from '../sip/connection.js';
import type { ServerTransaction } from '../sip/transaction.js';
import { parseUri } from '../sip/uri.js';
import type { AgentProfile } from './agent-roster.js';
import { isPhoneNumber } from './internal-admission.js';
import { InternalCall } from './internal-call.js';
import { internalCallTransitions, type InternalCallState } from './internal-call-state.js';
import { passedBack } from './internal-calls.js';
import { SipLeg } from './sip-leg.js';

/** A media leg that records what the relay and the hold player send it, and lets the test play "speech". */
class FakeMedia {
  sent: string[] = [];
  closed = false;
  #handlers: ((p: RtpPacket) => void)[] = [];
  constructor(readonly name: string) {}
  onRtp(handler: (p: RtpPacket) => void): () => void {
    this.#handlers.push(handler);
    return () => (this.#handlers = this.#handlers.filter((h) => h !== handler));
  }
  sendRtp(packet: RtpPacket): void {
    this.sent.push(packet.payload.length === 1 ? `speech ${packet.payload[0]}` : 'hold');
  }
  markDiscontinuity(): void {}
  speak(byte: number): void {
    for (const h of this.#handlers) h(new RtpPacket(new RtpHeader({ payloadType: 111 }), Buffer.from([byte])));
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

const profile = (username: string): AgentProfile => ({
  agentId: `id-${username}`, tenantId: 't1', username, displayName: username.toUpperCase(), aor: `sip:${username}@d`,
});

function connectedCall() {
  const clock = new ManualClock();
  const call = new InternalCall({
    id: 'i1',
    tenantId: 't1',
    from: profile('alice'),
    to: profile('bob'),
    callerLeg: new SipLeg('uas', {} as SipConnection, 'c1'),
    callerInvite: {} as ServerTransaction,
    callerOffer: 'v=0',
    holdAudio: [Buffer.from([1, 2, 3])], // three bytes: "hold", never "speech"
    clock,
  });
  const caller = new FakeMedia('caller');
  const callee = new FakeMedia('callee');
  call.offer.media = callee as unknown as MediaLeg;
  call.connect(caller as unknown as MediaLeg);
  return { call, caller, callee, clock };
}

describe('InternalCall', () => {
  it('offers itself to the callee only, and shows the callee who calls', () => {
    const { call } = connectedCall();
    expect(call.offerTo('id-bob')).toBe(call.offer);
    expect(call.offerTo('id-alice')).toBeUndefined();
    expect(call.caller).toMatchObject({ name: 'ALICE', phone: '', email: '' });
    expect(call.involves('id-alice') && call.involves('id-bob') && !call.involves('id-carol')).toBe(true);
  });

  it('relays both ways once connected', () => {
    const { caller, callee } = connectedCall();
    caller.speak(7);
    callee.speak(9);
    expect(callee.sent).toEqual(['speech 7']);
    expect(caller.sent).toEqual(['speech 9']);
  });

  it('plays hold audio to the held agent only, and relays again when nobody holds any more', () => {
    const { call, caller, callee, clock } = connectedCall();
    expect(call.setHeld('caller', true)).toBe(true);
    expect(call.state).toBe('held');
    caller.speak(7);
    clock.advance(40);
    expect(callee.sent.every((p) => p === 'hold')).toBe(true);
    expect(callee.sent.length).toBeGreaterThan(0);
    expect(caller.sent).toEqual([]);

    call.setHeld('callee', true); // both hold: each hears hold audio
    clock.advance(20);
    expect(caller.sent.at(-1)).toBe('hold');
    call.setHeld('caller', false);
    expect(call.state).toBe('held'); // the callee still holds
    callee.sent = [];
    clock.advance(100);
    callee.speak(9);
    expect(callee.sent).toEqual([]); // the caller's hold audio to the callee stopped, the relay is still paused
    call.setHeld('callee', false);
    expect(call.state).toBe('connected');
    caller.speak(5);
    expect(callee.sent).toEqual(['speech 5']);
  });

  it('refuses hold before it is connected', () => {
    const call = new InternalCall({
      id: 'i2', tenantId: 't1', from: profile('alice'), to: profile('bob'),
      callerLeg: new SipLeg('uas', {} as SipConnection, 'c2'), callerInvite: {} as ServerTransaction,
      callerOffer: 'v=0', holdAudio: [Buffer.from([1, 2, 3])], clock: new ManualClock(),
    });
    expect(call.setHeld('caller', true)).toBe(false);
    call.ringing();
    expect(call.state).toBe('ringing');
    expect(() => call.connect({} as MediaLeg)).toThrow(TypeError); // no callee media yet
  });

  it('ends once: closes both media legs, stops hold audio, and stays ended', () => {
    const { call, caller, callee, clock } = connectedCall();
    call.setHeld('caller', true);
    expect(call.end('completed')).toBe(true);
    const heard = callee.sent.length;
    clock.advance(200);
    expect(callee.sent.length).toBe(heard);
    expect(caller.closed && callee.closed).toBe(true);
    expect(call.end('failed')).toBe(false);
    expect(call.endReason).toBe('completed');
    expect(() => call.ringing()).not.toThrow(); // a late 180 is ignored
    expect(() => call.connect(caller as unknown as MediaLeg)).toThrow(TransitionError);
  });
});

describe('internalCallTransitions', () => {
  it('reaches every state from dialing, ends from every live state, and never leaves ended', () => {
    const seen = new Set<InternalCallState>(['dialing']);
    const queue: InternalCallState[] = ['dialing'];
    while (queue.length > 0) {
      for (const to of internalCallTransitions[queue.shift()!]) {
        if (!seen.has(to)) (seen.add(to), queue.push(to));
      }
    }
    expect([...seen].sort()).toEqual(['connected', 'dialing', 'ended', 'held', 'ringing']);
    for (const [from, targets] of Object.entries(internalCallTransitions)) if (from !== 'ended') expect(targets).toContain('ended');
    expect(internalCallTransitions.ended).toEqual([]);
    expect(internalCallTransitions.ringing).not.toContain('dialing');
  });
});

describe('passedBack', () => {
  it.each([486, 600, 603, 480, 404, 410, 488, 500, 503])('passes %i on as it is', (status) => {
    expect(passedBack(status)).toEqual({ status });
  });

  it.each([302, 401, 407, 487, 400, Number.NaN])('turns %s into 480', (status) => {
    expect(passedBack(status)).toMatchObject({ status: 480 });
  });
});

describe('isPhoneNumber', () => {
  it.each([
    ['sip:+6281234567890@d', true],
    ['sip:0812-3456-7890@d', true],
    ['sip:1234567@d', true],
    ['sip:123@d;user=phone', true],
    ['sip:201@d', false],
    ['sip:123456@d', false],
    ['sip:alice@d', false],
    ['sip:a1234567@d', false],
  ])('%s → %s', (uri, expected) => {
    expect(isPhoneNumber(parseUri(uri))).toBe(expected);
  });
});
