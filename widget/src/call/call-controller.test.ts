import { describe, expect, it } from 'vitest';
import { grant, harness, progress, queued, ringing, settle } from './call-controller-test-kit.js';
import type { VisitorCallGrant } from './token-client.js';
import { WidgetError } from './widget-errors.js';

describe('CallController', () => {
  it('runs a form-mode call from the form to a connected agent and back to ended on hang-up', async () => {
    const h = harness('form');
    h.controller.opened();
    expect(h.machine.state).toBe('form');
    h.controller.start({ name: ' Siti ', phone: '+62 812-3456-7890', email: '' });
    await settle();
    expect(h.tokenRequests).toEqual([{ tenant: 'demo', queue: 'sales', name: 'Siti', phone: '+6281234567890' }]);

    h.bridge().status(queued(2));
    h.bridge().status(queued(1));
    h.advance(5_000);
    h.bridge().status({ state: 'connected', agent: 'Alice Agent' });
    expect(h.machine.status).toEqual({ state: 'connected', agent: 'Alice Agent', since: 6_000 });

    h.controller.digit('5');
    h.controller.toggleMute();
    h.controller.hangup();
    expect(h.sent).toEqual(['DTMF 5', 'mute', 'BYE']);
    expect(h.states).toEqual(['form', 'connecting', 'waiting', 'waiting', 'connected', 'ended']);
    expect(h.machine.status).toEqual({ state: 'ended', reason: 'You ended the call.', error: false });
    expect(h.track.stopped).toBe(true);
  });

  it('keeps the form and shows inline errors when the details are invalid, without asking for a token', async () => {
    const h = harness('form');
    h.controller.opened();
    h.controller.start({ name: '', phone: '12', email: 'x' });
    await settle();
    expect(h.machine.state).toBe('form');
    expect(Object.keys(h.viewLog.fieldErrors[0]!).sort()).toEqual(['email', 'name', 'phone']);
    expect(h.tokenRequests).toEqual([]);
  });

  it('calls straight away in direct mode, sending no visitor details', async () => {
    const h = harness('direct');
    h.controller.opened();
    expect(h.machine.state).toBe('connecting');
    await settle();
    expect(h.tokenRequests).toEqual([{ tenant: 'demo', queue: 'sales' }]);
  });

  it('ends with a microphone message when the microphone is refused, before spending a token', async () => {
    const h = harness('direct', {
      getMicrophone: async () => {
        throw Object.assign(new Error('denied'), { name: 'NotAllowedError' });
      },
    });
    h.controller.opened();
    await settle();
    expect(h.machine.status).toMatchObject({ state: 'ended', error: true, reason: expect.stringMatching(/Microphone/) });
    expect(h.tokenRequests).toEqual([]);
  });

  it("returns to the form with the bridge's field errors on a 400", async () => {
    const h = harness('form', {
      requestToken: async () => {
        throw WidgetError.rejected(400, 'VALIDATION', 'bad', { phone: ['Unknown country code'] });
      },
    });
    h.controller.opened();
    h.controller.start({ name: 'Siti', phone: '+999 1234567', email: '' });
    await settle();
    expect(h.machine.state).toBe('form');
    expect(h.viewLog.fieldErrors.at(-1)).toEqual({ phone: 'Unknown country code' });
    expect(h.track.stopped).toBe(true);
  });

  it('falls back to the form in direct mode when the queue asks who is calling', async () => {
    let calls = 0;
    const h = harness('direct', {
      requestToken: async (request) => {
        calls++;
        if (!request.name) throw WidgetError.rejected(400, 'VALIDATION', 'who?', { name: ['required for this queue'] });
        return grant;
      },
    });
    h.controller.opened();
    await settle();
    expect(h.machine.state).toBe('form');
    expect(h.viewLog.fieldErrors.at(-1)).toEqual({ name: 'required for this queue' });
    h.controller.start({ name: 'Siti', phone: '0812345678', email: '' });
    await settle();
    expect(calls).toBe(2);
    expect(h.machine.state).toBe('connecting');
  });

  it('shows an unreachable bridge as an ended call with an error', async () => {
    const h = harness('direct', {
      startCall: async () => {
        throw WidgetError.unreachable(new Error('ws closed'));
      },
    });
    h.controller.opened();
    await settle();
    expect(h.machine.status).toMatchObject({ state: 'ended', error: true, reason: expect.stringMatching(/reach/) });
  });

  it('abandons the attempt when the visitor hangs up while the token is still on its way', async () => {
    let release!: (g: VisitorCallGrant) => void;
    let started = false;
    const h = harness('direct', {
      requestToken: () => new Promise((resolve) => (release = resolve)),
      startCall: async () => {
        started = true;
        throw new Error('must not be called');
      },
    });
    h.controller.opened();
    await settle();
    h.controller.hangup();
    expect(h.machine.status).toMatchObject({ state: 'ended', reason: 'You ended the call.' });
    release(grant);
    await settle();
    expect(started).toBe(false);
    expect(h.track.stopped).toBe(true);
  });

  it('says the agent ended the call when the bridge hangs up after the agent joined', async () => {
    const h = harness('direct');
    h.controller.opened();
    await settle();
    h.bridge().status({ state: 'connected' });
    h.bridge().ended({ originator: 'remote', cause: 'Terminated' });
    expect(h.machine.status).toEqual({ state: 'ended', reason: 'The agent ended the call.', error: false });
    h.controller.callAgain();
    expect(h.machine.state).toBe('connecting');
  });

  it('keeps the known queue position and estimate when a later progress says only "still waiting"', async () => {
    const h = harness('direct');
    h.controller.opened();
    await settle();
    h.bridge().status(queued(1, 40));
    h.bridge().status(progress);
    expect(h.machine.status).toEqual({ state: 'waiting', position: 1, estimatedWaitSec: 40 });
    h.bridge().status(queued(2, 170));
    expect(h.machine.status).toEqual({ state: 'waiting', position: 2, estimatedWaitSec: 170 });
  });

  it('treats each 182 as a full snapshot: an estimate it lacks is unknown now', async () => {
    const h = harness('direct');
    h.controller.opened();
    await settle();
    h.bridge().status(queued(3, 300));
    h.bridge().status(queued(2));
    expect(h.machine.status).toEqual({ state: 'waiting', position: 2 });
  });

  it('marks an agent ringing on 180 and clears it when the call is queued again (ring-no-answer)', async () => {
    const h = harness('direct');
    h.controller.opened();
    await settle();
    h.bridge().status(queued(1, 30));
    h.bridge().status(ringing);
    expect(h.machine.status).toEqual({ state: 'waiting', position: 1, estimatedWaitSec: 30, agentRinging: true });
    h.bridge().status(progress); // a late 183
    expect(h.machine.status).toMatchObject({ agentRinging: true });
    h.bridge().status(queued(1, 20));
    expect(h.machine.status).toEqual({ state: 'waiting', position: 1, estimatedWaitSec: 20 });
  });

  it('keeps the timer origin when the agent name is repeated, and goes back to waiting if the agent drops', async () => {
    const h = harness('direct');
    h.controller.opened();
    await settle();
    h.bridge().status({ state: 'connected', agent: 'Alice' });
    h.advance(3000);
    h.bridge().status({ state: 'connected', agent: 'Alice' });
    expect(h.machine.status).toMatchObject({ state: 'connected', since: 1000 });
    h.bridge().status(progress);
    expect(h.machine.state).toBe('waiting');
  });
});
