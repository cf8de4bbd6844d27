/**
 * A human sentence for why a call ended, from JsSIP's `ended`/`failed` event (`originator` and `cause`, the
 * strings of JsSIP's `C.causes`). Pure; branches on JsSIP's stable cause codes, never on message text.
 */

export interface CallEnd {
  /** Who ended it: `local` (this visitor), `remote` (the bridge), `system` (JsSIP itself). */
  readonly originator: 'local' | 'remote' | 'system';
  /** JsSIP cause, e.g. `Terminated`, `Busy`, `Connection Error`. */
  readonly cause: string;
  /** Whether an agent had joined the call before it ended. */
  readonly wasConnected: boolean;
}

export interface EndDescription {
  readonly reason: string;
  /** `true` for a failure worth showing as an error rather than a normal end. */
  readonly error: boolean;
}

export function describeCallEnd(end: CallEnd): EndDescription {
  const { originator, cause, wasConnected } = end;
  if (originator === 'local' && (cause === 'Terminated' || cause === 'Canceled')) {
    return { reason: 'You ended the call.', error: false };
  }
  switch (cause) {
    case 'Terminated':
      return wasConnected
        ? { reason: 'The agent ended the call.', error: false }
        : { reason: 'The call was closed by the service. Please try again later.', error: false };
    case 'Busy':
    case 'Unavailable':
    case 'Rejected':
    case 'No Answer':
      return { reason: 'No one is available to take your call right now. Please try again later.', error: false };
    case 'Not Found':
    case 'Address Incomplete':
      return { reason: 'This call line is not available.', error: true };
    case 'Authentication Error':
      return { reason: 'Your call session expired. Please try again.', error: true };
    case 'Connection Error':
    case 'Request Timeout':
    case 'Dialog Error':
    case 'No ACK':
      return { reason: 'The connection to the call service was lost.', error: true };
    case 'User Denied Media Access':
      return { reason: 'Microphone access was blocked. Allow the microphone for this site and try again.', error: true };
    case 'RTP Timeout':
      return { reason: 'The audio connection was lost.', error: true };
    case 'WebRTC Error':
    case 'Incompatible SDP':
    case 'Missing SDP':
    case 'Bad Media Description':
      return { reason: 'Your browser could not set up the audio connection.', error: true };
    default:
      return { reason: 'The call ended.', error: originator !== 'local' };
  }
}

export const VOICEMAIL_RECORDED = 'Thanks — your message was recorded.';

/**
 * How a voicemail ended: a BYE from either side (the visitor finished, or the bridge reached `maxSeconds`) is
 * the normal end and thanks the visitor; anything else is the failure {@link describeCallEnd} names.
 */
export function describeVoicemailEnd(end: Omit<CallEnd, 'wasConnected'>):
  EndDescription & { readonly voicemailRecorded?: true } {
  if (end.cause === 'Terminated') return { reason: VOICEMAIL_RECORDED, error: false, voicemailRecorded: true };
  return describeCallEnd({ ...end, wasConnected: true });
}
