import { describe, expect, it } from 'vitest';
import { VOICEMAIL_RECORDED, describeCallEnd, describeVoicemailEnd } from './end-reason.js';

describe('describeCallEnd', () => {
  it('says the visitor ended it when they hung up or cancelled', () => {
    expect(describeCallEnd({ originator: 'local', cause: 'Terminated', wasConnected: true })).toEqual({
      reason: 'You ended the call.',
      error: false,
    });
    expect(describeCallEnd({ originator: 'local', cause: 'Canceled', wasConnected: false }).reason).toBe(
      'You ended the call.',
    );
  });

  it('distinguishes the agent hanging up from the service closing a waiting call', () => {
    expect(describeCallEnd({ originator: 'remote', cause: 'Terminated', wasConnected: true }).reason).toMatch(/agent/);
    expect(describeCallEnd({ originator: 'remote', cause: 'Terminated', wasConnected: false }).reason).toMatch(
      /service/,
    );
  });

  it('explains a blocked microphone as an error', () => {
    const end = describeCallEnd({ originator: 'local', cause: 'User Denied Media Access', wasConnected: false });
    expect(end).toEqual({ reason: expect.stringMatching(/Microphone/), error: true });
  });

  it('explains busy and lost-connection failures', () => {
    expect(describeCallEnd({ originator: 'remote', cause: 'Busy', wasConnected: false }).reason).toMatch(/available/);
    expect(describeCallEnd({ originator: 'system', cause: 'Connection Error', wasConnected: true })).toEqual({
      reason: 'The connection to the call service was lost.',
      error: true,
    });
  });

  it('falls back to a neutral sentence for unknown causes', () => {
    expect(describeCallEnd({ originator: 'remote', cause: 'Something New', wasConnected: false }).reason).toBe(
      'The call ended.',
    );
  });
});

describe('describeVoicemailEnd', () => {
  it('thanks the visitor when either side hung up normally', () => {
    for (const originator of ['local', 'remote'] as const) {
      expect(describeVoicemailEnd({ originator, cause: 'Terminated' }))
        .toEqual({ reason: VOICEMAIL_RECORDED, error: false, voicemailRecorded: true });
    }
  });

  it('names a failure as the call end would', () => {
    expect(describeVoicemailEnd({ originator: 'system', cause: 'RTP Timeout' }))
      .toEqual({ reason: 'The audio connection was lost.', error: true });
  });
});
