import { describe, expect, it } from 'vitest';
import { harness, queued, settle } from './call-controller-test-kit.js';
import type { Deflection } from './deflection.js';
import { WidgetError } from './widget-errors.js';

const SLOT = '2026-11-23T02:00:00.000Z';

async function deflected(mode: 'form' | 'direct', deflection: Deflection, ...rest: Parameters<typeof harness> extends [unknown, ...infer R] ? R : never) {
  const h = harness(mode, ...rest);
  h.controller.opened();
  if (mode === 'form') h.controller.start({ name: 'Siti', phone: '+6281234567890', email: '' });
  await settle();
  h.bridge().status(queued(4, 900));
  h.bridge().ended({ originator: 'remote', cause: 'Unavailable', deflection });
  await settle();
  return h;
}

describe('CallController: deflection', () => {
  it('shows the deflection instead of a failure, and lets the visitor call again', async () => {
    const deflection: Deflection = { reason: 'closed', type: 'message', text: 'We open at 8.' };
    const h = await deflected('direct', deflection);
    expect(h.machine.status).toEqual({ state: 'deflected', deflection });
    expect(h.schedulerMachine.state).toBe('closed');
    expect(h.track.stopped).toBe(true);
    h.controller.callAgain();
    expect(h.machine.state).toBe('connecting');
  });

  it('ends as before when a 480 carries no usable deflection', async () => {
    const h = harness('direct');
    h.controller.opened();
    await settle();
    h.bridge().ended({ originator: 'remote', cause: 'Unavailable' });
    expect(h.machine.status).toMatchObject({ state: 'ended', reason: expect.stringMatching(/No one is available/) });
  });

  it('opens the scheduler on a callback deflection and books with the number from the form', async () => {
    const h = await deflected('form', { reason: 'expected-wait', type: 'callback', slotMinutes: 30 });
    expect(h.schedulerMachine.status).toEqual({ state: 'choosing', slots: [SLOT], needsPhone: false });
    h.controller.pickSlot(SLOT, '');
    await settle();
    expect(h.visitor.requests).toEqual(['slots t1', `book t1 {"at":"${SLOT}"}`]);
    expect(h.schedulerMachine.status).toEqual({ state: 'confirmed', at: SLOT, phone: '+6281234567890' });
    expect(h.machine.state).toBe('deflected');
  });

  it('asks for a number in direct mode and sends it with the slot', async () => {
    const h = await deflected('direct', { reason: 'closed', type: 'callback' });
    expect(h.schedulerMachine.status).toMatchObject({ state: 'choosing', needsPhone: true });
    h.controller.pickSlot(SLOT, '');
    expect(h.schedulerMachine.status).toMatchObject({ state: 'choosing', phoneError: 'Please enter your phone number.' });
    h.controller.pickSlot(SLOT, '+62 21 555 000');
    await settle();
    expect(h.visitor.requests.at(-1)).toBe(`book t1 {"at":"${SLOT}","phone":"+6221555000"}`);
    expect(h.schedulerMachine.status).toEqual({ state: 'confirmed', at: SLOT, phone: '+6221555000' });
  });

  it('renews the token when the deflection came after the token expired (max-wait)', async () => {
    const h = await deflected('form', { reason: 'max-wait', type: 'callback' }, {}, {
      callbackSlots: async (token) => {
        if (token === 't1') throw WidgetError.requestRejected(401, undefined, 'expired', undefined);
        return { slots: [SLOT], timeZone: 'Asia/Jakarta' };
      },
    });
    await settle();
    expect(h.visitor.requests).toEqual(['slots t1', 'slots t2']);
    expect(h.schedulerMachine.state).toBe('choosing');
  });

  it('offers the scheduler for voicemail when slots exist, and nothing to book when none do', async () => {
    const withSlots = await deflected('form', { reason: 'closed', type: 'voicemail' });
    expect(withSlots.schedulerMachine.state).toBe('choosing');
    const none = await deflected('form', { reason: 'closed', type: 'voicemail' }, {}, {
      callbackSlots: async () => ({ slots: [], timeZone: undefined }),
    });
    expect(none.schedulerMachine.state).toBe('unavailable');
  });

  it('closes the scheduler when the visitor calls again', async () => {
    const h = await deflected('form', { reason: 'full', type: 'callback' });
    h.controller.callAgain();
    expect(h.schedulerMachine.state).toBe('closed');
    expect(h.machine.state).toBe('form');
  });
});
