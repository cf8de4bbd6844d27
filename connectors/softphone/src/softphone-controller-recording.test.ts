import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ENDED_PAUSE_MS } from './softphone-controller.js';
import { SoftphoneError } from './softphone-errors.js';
import { harness, signIn, siti } from './softphone-test-kit.js';

async function inCall(kind: 'call' | 'callback' = 'call') {
  const h = harness();
  await h.controller.start();
  await h.controller.signIn(signIn);
  const call = h.offer(siti, kind);
  h.controller.answer();
  call.events!.accepted();
  return { h, call };
}

describe('SoftphoneController recording toggle', () => {
  beforeEach(() => void vi.spyOn(console, 'error').mockImplementation(() => undefined)); // failures are logged
  afterEach(() => void vi.restoreAllMocks());

  it('pauses and resumes the recording with control INFOs, showing the toggle busy meanwhile', async () => {
    const { h, call } = await inCall();
    expect(h.shown.recording).toEqual(['recording']); // answered: the toggle shows, unpaused
    await h.controller.toggleRecording();
    await h.controller.toggleRecording();
    expect(call.actions).toEqual(['answer', 'INFO pause-recording', 'INFO resume-recording']);
    expect(h.shown.recording).toEqual(['recording', 'recording busy', 'paused', 'paused busy', 'recording']);
    expect(h.notices).toEqual([]);
  });

  it('hides the toggle for the rest of the call when the bridge answers 409 (the queue does not record)', async () => {
    const { h, call } = await inCall();
    call.recordingAnswer = 409;
    await h.controller.toggleRecording();
    expect(h.shown.recording.at(-1)).toBe('not-recorded');
    call.recordingAnswer = 200;
    await h.controller.toggleRecording();
    expect(call.actions.filter((a) => a.startsWith('INFO'))).toEqual(['INFO pause-recording']);
    expect(h.notices).toEqual([]);
  });

  it('stays paused and says so when a resume fails without a 409', async () => {
    const { h, call } = await inCall();
    await h.controller.toggleRecording();
    call.recordingAnswer = SoftphoneError.controlTimeout();
    await h.controller.toggleRecording();
    expect(h.shown.recording.at(-1)).toBe('paused');
    expect(h.notices).toEqual([{ message: 'Could not resume the recording: it may still be paused.', kind: 'error' }]);

    call.recordingAnswer = 500;
    await h.controller.toggleRecording();
    expect(h.shown.recording.at(-1)).toBe('paused');
    call.recordingAnswer = 200;
    await h.controller.toggleRecording();
    expect(h.shown.recording.at(-1)).toBe('recording');
  });

  it('does not claim a pause the bridge refused', async () => {
    const { h, call } = await inCall();
    call.recordingAnswer = 500;
    await h.controller.toggleRecording();
    expect(h.shown.recording.at(-1)).toBe('recording');
    expect(h.notices[0]).toEqual({ message: 'Could not pause the recording: assume it is still recording.', kind: 'error' });
  });

  it('sends one INFO for a double click', async () => {
    const { h, call } = await inCall();
    let answer!: () => void;
    call.recordingAnswer = new Promise<void>((resolve) => { answer = resolve; });
    const first = h.controller.toggleRecording();
    await h.controller.toggleRecording();
    answer();
    await first;
    expect(call.actions.filter((a) => a.startsWith('INFO'))).toEqual(['INFO pause-recording']);
    expect(h.shown.recording.at(-1)).toBe('paused');
  });

  it('starts the next call unpaused, and ignores an answer that arrives after its call ended', async () => {
    const { h, call } = await inCall();
    let answer!: () => void;
    call.recordingAnswer = new Promise<void>((resolve) => { answer = resolve; });
    const pending = h.controller.toggleRecording();
    h.controller.hangup();
    answer();
    await pending;
    expect(h.shown.recording).toEqual(['recording', 'recording busy']);

    h.advance(ENDED_PAUSE_MS);
    const next = h.offer({ ...siti, callId: 'cdr-8' });
    h.controller.answer();
    next.events!.accepted();
    expect(h.shown.recording.at(-1)).toBe('recording');
    await h.controller.toggleRecording();
    expect(next.actions).toEqual(['answer', 'INFO pause-recording']);
  });

  it('offers no recording control on a callback, nor before the call is answered', async () => {
    const { h, call } = await inCall('callback');
    await h.controller.toggleRecording();
    expect(call.actions).toEqual(['answer']);

    const ringing = harness();
    await ringing.controller.start();
    await ringing.controller.signIn(signIn);
    const offered = ringing.offer();
    await ringing.controller.toggleRecording();
    expect(offered.actions).toEqual([]);
  });
});
