import { describe, expect, it } from 'vitest';
import { harness, queued, ringing, settle } from './call-controller-test-kit.js';
import { WidgetError } from './widget-errors.js';

const formDetails = { name: 'Siti', phone: '+62 812-3456-7890', email: '' };

async function waitingCall(mode: 'form' | 'direct', ...args: Parameters<typeof harness> extends [unknown, ...infer R] ? R : never) {
  const h = harness(mode, ...args);
  h.controller.opened();
  if (mode === 'form') h.controller.start(formDetails);
  await settle();
  h.bridge().status(queued(3, 240));
  return h;
}

describe('CallController: keep my place and call me back', () => {
  it('sends the Call-ID of the waiting INVITE, then CANCELs and confirms the number from the form', async () => {
    const h = await waitingCall('form');
    h.controller.keepPlace();
    expect(h.machine.status).toEqual({ state: 'keeping-place', step: 'sending', position: 3, estimatedWaitSec: 240 });
    await settle();
    expect(h.visitor.requests).toEqual(['keep-place t1 {"callId":"inv-1@visitor"}']);
    expect(h.sent).toEqual(['BYE']); // the fake's hang-up; on a pending INVITE JsSIP sends CANCEL
    expect(h.machine.status).toEqual({ state: 'place-kept', phone: '+6281234567890' });
    expect(h.states.slice(-3)).toEqual(['waiting', 'keeping-place', 'place-kept']);
    expect(h.track.stopped).toBe(true);
  });

  it('asks for a phone number first in direct mode, validates it, and sends it along', async () => {
    const h = await waitingCall('direct');
    h.controller.keepPlace();
    expect(h.machine.status).toMatchObject({ state: 'keeping-place', step: 'phone' });
    expect(h.visitor.requests).toEqual([]);

    h.controller.keepPlaceWithPhone('call me');
    expect(h.machine.status).toMatchObject({ state: 'keeping-place', step: 'phone', phoneError: expect.stringMatching(/digits/) });
    h.bridge().status(queued(2, 120)); // still queued while typing: the place keeps updating
    expect(h.machine.status).toMatchObject({ step: 'phone', position: 2, estimatedWaitSec: 120, phoneError: expect.any(String) });

    h.controller.keepPlaceWithPhone(' 0812 3456 7890 ');
    await settle();
    expect(h.visitor.requests).toEqual(['keep-place t1 {"callId":"inv-1@visitor","phone":"081234567890"}']);
    expect(h.machine.status).toEqual({ state: 'place-kept', phone: '081234567890' });
  });

  it('goes back to plain waiting when the visitor closes the phone prompt', async () => {
    const h = await waitingCall('direct');
    h.controller.keepPlace();
    h.controller.cancelKeepPlace();
    expect(h.machine.status).toEqual({ state: 'waiting', position: 3, estimatedWaitSec: 240 });
    expect(h.sent).toEqual([]);
  });

  it('keeps the visitor in line and says so when the bridge refuses', async () => {
    const h = await waitingCall('form', {}, {
      keepPlace: async () => {
        throw WidgetError.requestRejected(409, 'NOT_QUEUED', 'no longer waiting', undefined);
      },
    });
    const warn = console.warn;
    console.warn = () => {};
    try {
      h.controller.keepPlace();
      await settle();
    } finally {
      console.warn = warn;
    }
    expect(h.machine.status).toEqual({ state: 'waiting', position: 3, estimatedWaitSec: 240,
      notice: 'We could not keep your place, but you are still in line.' });
    expect(h.sent).toEqual([]);
    h.bridge().status(queued(2, 100)); // the notice survives position updates
    expect(h.machine.status).toMatchObject({ position: 2, notice: expect.any(String) });
  });

  it('renews an expired token with the same details and retries once', async () => {
    let refused = false;
    const h = await waitingCall('form', {}, {
      keepPlace: async (token) => {
        if (token === 't1') {
          refused = true;
          throw WidgetError.requestRejected(401, 'AUTH_EXPIRED', 'expired', undefined);
        }
      },
    });
    h.controller.keepPlace();
    await settle();
    await settle();
    expect(refused).toBe(true);
    expect(h.tokenRequests).toHaveLength(2);
    expect(h.tokenRequests[1]).toEqual(h.tokenRequests[0]);
    expect(h.visitor.requests.map((r) => r.split(' ').slice(0, 2).join(' '))).toEqual(['keep-place t1', 'keep-place t2']);
    expect(h.machine.state).toBe('place-kept');
  });

  it('lets an agent who answers meanwhile win over the promised callback', async () => {
    let release!: () => void;
    const h = await waitingCall('form', {}, { keepPlace: () => new Promise<void>((resolve) => (release = resolve)) });
    h.controller.keepPlace();
    await settle();
    h.bridge().status({ state: 'connected', agent: 'Alice' });
    release();
    await settle();
    expect(h.machine.state).toBe('connected');
    expect(h.sent).toEqual([]);
  });

  it('is not offered while an agent is ringing, nor before the call is queued', async () => {
    const h = harness('form');
    h.controller.opened();
    h.controller.start(formDetails);
    h.controller.keepPlace(); // connecting
    await settle();
    h.bridge().status(ringing);
    h.controller.keepPlace();
    expect(h.machine.state).toBe('waiting');
    expect(h.visitor.requests).toEqual([]);
  });

  it('ends normally if the visitor hangs up while being asked for a number', async () => {
    const h = await waitingCall('direct');
    h.controller.keepPlace();
    h.controller.hangup();
    expect(h.machine.status).toEqual({ state: 'ended', reason: 'You ended the call.', error: false });
  });
});
