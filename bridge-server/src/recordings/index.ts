/**
 * Call recording (issue 4): encrypted chunked recording of both legs while the call runs, reading it back
 * with crash and tamper detection, rendering a stereo WAV and splitting it into deliverable parts. Pure of
 * HTTP, SIP and the store; the delivery outbox lives in `./outbox/`.
 */
export { ChunkCipher } from './chunk-cipher.js';
export { RecordingError, RecordingTamperedError, type RecordingFailure } from './recording-errors.js';
export type { RecordedFrame, RecordingChannel, RecordingHeader, RecordingMarker } from './recording-format.js';
export { generateRecordingKey, parseRecordingKey, RECORDING_KEY_BYTES, type RecordingKey } from './recording-key.js';
export {
  readRecording,
  RecordingReader,
  type RecordingChunk,
  type RecordingContents,
  type RecordingDamage,
  type RecordingReaderOptions,
} from './recording-reader.js';
export {
  recordingPath,
  RecordingWriter,
  type RecordingResult,
  type RecordingWriterOptions,
  type RecordingWriterStats,
  type TappableLeg,
} from './recording-writer.js';
export { renderRecordingWav, type WavRenderOptions, type WavRenderResult, type WavSampleRate } from './wav-render.js';
export { DEFAULT_MAX_PART_BYTES, splitWav, type WavPart, type WavSplitOptions } from './wav-split.js';
