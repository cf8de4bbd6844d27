import { SambungError } from '../errors.js';

/**
 * Why a recording operation failed, for callers that must tell "retry later" from "never readable":
 * - `invalid-key`: the configured key is not 32 bytes of base64 or hex (a configuration error).
 * - `invalid-id`: a recording id that cannot safely name a file.
 * - `not-a-recording`: the file has no recording header (wrong file, or a header cut short).
 * - `wrong-key`: the header's key check does not match the key given (key rotated, or a development key
 *   regenerated at restart): nothing is tampered, this key just cannot read it.
 * - `tampered`: a complete chunk failed authentication, or an authentic chunk is in the wrong place.
 * - `io`: the file system failed (disk full, permissions, file gone).
 * - `too-long`: a rendering that would not fit in one RIFF file (4 GiB).
 * - `invalid-wav`: a WAV the splitter cannot read (not RIFF/WAVE PCM).
 */
export type RecordingFailure =
  | 'invalid-key'
  | 'invalid-id'
  | 'not-a-recording'
  | 'wrong-key'
  | 'tampered'
  | 'io'
  | 'too-long'
  | 'invalid-wav';

/**
 * Every failure of the recording core. The `code` is one of the shared {@link SambungError} codes
 * (`CONFIG_INVALID` for a bad key, `STORE_FAILED` for everything about stored files); `reason` says which
 * failure it is. Branch on the class and `reason`, never on the message.
 */
export class RecordingError extends SambungError {
  readonly reason: RecordingFailure;

  protected constructor(reason: RecordingFailure, message: string, options?: { cause?: unknown; detail?: Record<string, unknown> }) {
    super(reason === 'invalid-key' ? 'CONFIG_INVALID' : 'STORE_FAILED', message, options);
    this.reason = reason;
  }

  static invalidKey(why: string): RecordingError {
    return new RecordingError('invalid-key', `recording key: ${why} (expected 32 bytes as base64 or hex)`);
  }
  static invalidId(id: string): RecordingError {
    return new RecordingError('invalid-id', 'recording id must be 1-128 characters of A-Z a-z 0-9 . _ - and not start with a dot', {
      detail: { id: id.slice(0, 200) },
    });
  }
  static notARecording(path: string, why: string): RecordingError {
    return new RecordingError('not-a-recording', `${path} is not a readable recording: ${why}`, { detail: { path } });
  }
  static wrongKey(path: string): RecordingError {
    return new RecordingError('wrong-key', `${path} was encrypted with a different recording key`, { detail: { path } });
  }
  static io(what: string, cause: unknown): RecordingError {
    return new RecordingError('io', `recording ${what} failed`, { cause });
  }
  static tooLong(what: string): RecordingError {
    return new RecordingError('too-long', `${what} is too long for one WAV file (RIFF sizes are 32-bit)`);
  }
  static invalidWav(path: string, why: string): RecordingError {
    return new RecordingError('invalid-wav', `${path} is not a PCM WAV file: ${why}`, { detail: { path } });
  }
}

/**
 * A recording failed authentication: a chunk was altered, reordered, dropped from the middle, or copied in
 * from another recording. The file must not be delivered as if it were whole; keep it for investigation.
 */
export class RecordingTamperedError extends RecordingError {
  /** 0-based position in the file of the first chunk that failed. */
  readonly position: number;

  private constructor(recordingId: string, position: number, why: string, cause?: unknown) {
    super('tampered', `recording ${recordingId}: chunk at position ${position} ${why}`, {
      cause,
      detail: { recordingId, position },
    });
    this.position = position;
  }

  static chunk(recordingId: string, position: number, why: string, cause?: unknown): RecordingTamperedError {
    return new RecordingTamperedError(recordingId, position, why, cause);
  }
}
