import { describe, expect, it } from 'vitest';
import { RecordingToggle, recordingAnswer, recordingTransitions, refusedStatus } from './recording-control.js';
import { SoftphoneError } from './softphone-errors.js';

describe('recordingAnswer', () => {
  it('reads a 2xx as applied', () => {
    expect(recordingAnswer(200)).toBe('applied');
    expect(recordingAnswer(202)).toBe('applied');
  });

  it('reads 409 as "this call is not recorded"', () => {
    expect(recordingAnswer(409)).toBe('not-recorded');
  });

  it('reads any other status, or no answer at all, as a failure that changes nothing', () => {
    for (const status of [null, 400, 403, 481, 488, 500, 503, 100, 180]) {
      expect(recordingAnswer(status), String(status)).toBe('failed');
    }
  });
});

describe('refusedStatus', () => {
  it('takes the status from a refused control INFO only', () => {
    expect(refusedStatus(SoftphoneError.controlRefused(409))).toBe(409);
    expect(refusedStatus(SoftphoneError.controlRefused(undefined))).toBeNull();
    expect(refusedStatus(SoftphoneError.controlTimeout())).toBeNull();
    expect(refusedStatus(SoftphoneError.fromStatus(409, 'X', 'conflict', false))).toBeNull(); // HTTP, not SIP
    expect(refusedStatus(new Error('INFO refused (409)'))).toBeNull(); // never read from the message text
  });
});

describe('RecordingToggle', () => {
  it('starts recording, pauses on a 200, resumes on the next 200', () => {
    const toggle = new RecordingToggle();
    expect(toggle.state).toBe('recording');
    expect(toggle.begin()).toBe('pause-recording');
    expect(toggle.busy).toBe(true);
    expect(toggle.settle('applied')).toBe('paused');
    expect(toggle.busy).toBe(false);
    expect(toggle.begin()).toBe('resume-recording');
    expect(toggle.settle('applied')).toBe('recording');
  });

  it('sends nothing while a request is waiting for the bridge', () => {
    const toggle = new RecordingToggle();
    toggle.begin();
    expect(toggle.begin()).toBeNull();
  });

  it('keeps its state when the bridge fails to answer, so an unconfirmed pause is never shown as one', () => {
    const toggle = new RecordingToggle();
    toggle.begin();
    expect(toggle.settle('failed')).toBe('recording');
    toggle.begin();
    toggle.settle('applied');
    toggle.begin();
    expect(toggle.settle('failed')).toBe('paused');
  });

  it('gives up for the rest of the call after a 409, whether pausing or resuming', () => {
    const pausing = new RecordingToggle();
    pausing.begin();
    expect(pausing.settle('not-recorded')).toBe('not-recorded');
    expect(pausing.begin()).toBeNull();
    expect(pausing.busy).toBe(false);

    const resuming = new RecordingToggle();
    resuming.begin();
    resuming.settle('applied');
    resuming.begin();
    expect(resuming.settle('not-recorded')).toBe('not-recorded');
  });

  it('ignores an answer when nothing was asked', () => {
    expect(new RecordingToggle().settle('applied')).toBe('recording');
  });

  it('never leaves "not recorded" (the transition table has no way out)', () => {
    expect(recordingTransitions['not-recorded']).toEqual([]);
  });
});
