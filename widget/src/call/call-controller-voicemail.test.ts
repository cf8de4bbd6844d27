import { describe, expect, it } from 'vitest';
import { harness, queued, settle } from './call-controller-test-kit.js';
import { VOICEMAIL_RECORDED } from './end-reason.js';
import type { Voicemail } from './voicemail.js';

const voicemail: Voicemail = { reason: 'closed', maxSeconds: 120, greeting: 'Please leave a message after the tone.' };

async function inVoicemail(mode: 'form' | 'direct' = 'direct') {
  const h = harness(mode);
  h.controller.opened();
  if (mode === 'form') h.controller.start({ name: 'Siti', phone: '+6281234567890', email: '' });
  await settle();
  h.bridge().status(queued(2, 60));
  h.advance(5_000);
  h.bridge().status({ state: 'voicemail', voicemail });
  return h;
}

describe('CallController: voicemail', () => {
  it('records instead of connecting, then thanks the visitor after "Finish message"', async () => {
    const h = await inVoicemail();
    expect(h.machine.status).toEqual({ state: 'voicemail', voicemail, since: 6_000 });
    h.controller.hangup();
    expect(h.sent).toEqual(['BYE']);
    expect(h.machine.status).toEqual({ state: 'ended', reason: VOICEMAIL_RECORDED, error: false, voicemailRecorded: true });
    expect(h.track.stopped).toBe(true);
    expect(h.states).toEqual(['connecting', 'waiting', 'voicemail', 'ended']);
  });

  it('thanks the visitor too when the bridge ends the message at its limit', async () => {
    const h = await inVoicemail('form');
    h.bridge().ended({ originator: 'remote', cause: 'Terminated' });
    expect(h.machine.status).toMatchObject({ state: 'ended', voicemailRecorded: true, error: false });
  });

  it('reports a failure during the message as an error, not as recorded', async () => {
    const h = await inVoicemail();
    h.bridge().ended({ originator: 'system', cause: 'Connection Error' });
    expect(h.machine.status).toEqual({ state: 'ended', reason: 'The connection to the call service was lost.', error: true });
  });

  it('goes to voicemail straight from connecting, and from "keep my place"', async () => {
    const direct = harness('direct');
    direct.controller.opened();
    await settle();
    direct.bridge().status({ state: 'voicemail', voicemail });
    expect(direct.machine.state).toBe('voicemail');

    const keeping = harness('direct');
    keeping.controller.opened();
    await settle();
    keeping.bridge().status(queued(1));
    keeping.controller.keepPlace();
    expect(keeping.machine.state).toBe('keeping-place');
    keeping.bridge().status({ state: 'voicemail', voicemail });
    expect(keeping.machine.state).toBe('voicemail');
  });

  it('unmutes a visitor who muted while queued, and ignores mute and keypad during the message', async () => {
    const h = harness('direct');
    h.controller.opened();
    await settle();
    h.bridge().status(queued(1));
    h.controller.toggleMute();
    h.bridge().status({ state: 'voicemail', voicemail });
    expect(h.sent).toEqual(['mute', 'unmute']);
    expect(h.viewLog.muted.at(-1)).toBe(false);
    h.controller.toggleMute();
    h.controller.digit('5');
    expect(h.sent).toEqual(['mute', 'unmute']);
  });

  it('ignores late queue updates and a second answer once recording', async () => {
    const h = await inVoicemail();
    h.bridge().status(queued(1));
    h.bridge().status({ state: 'connected', agent: 'Alice' });
    h.bridge().status({ state: 'voicemail', voicemail: { greeting: 'again' } });
    expect(h.machine.status).toEqual({ state: 'voicemail', voicemail, since: 6_000 });
  });

  it('lets the visitor call again afterwards', async () => {
    const h = await inVoicemail();
    h.controller.hangup();
    h.controller.callAgain();
    expect(h.machine.state).toBe('connecting');
  });
});
