/**
 * Call recording (issue 4): encrypted chunked recording of both legs while the call runs, reading it back
 * with crash and tamper detection, rendering a stereo WAV into deliverable parts that stay encrypted at rest
 * (read back whole or by byte range). Pure of HTTP, SIP and the store; the delivery outbox lives in `./outbox/`.
 */
export { ChunkCipher, type ChunkPurpose } from './chunk-cipher.js';
export { RecordingError, RecordingTamperedError, type RecordingFailure } from './recording-errors.js';
export type { RecordedFrame, RecordingChannel, RecordingHeader, RecordingMarker, RecordingMarkerKind } from './recording-format.js';
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
export { DEFAULT_PART_CHUNK_BYTES, SEALED_PART_EXTENSION, sealedPartId } from './sealed-part-format.js';
export { readSealedPart, SealedPartReader, type SealedPartReaderOptions } from './sealed-part-reader.js';
export { SealedPartWriter, type SealedPartResult, type SealedPartWriterOptions } from './sealed-part-writer.js';
export {
  renderSealedWavParts,
  SealedWavParts,
  type SealedWavPartsOptions,
  type SealedWavPartsRenderOptions,
  type SealedWavPartsResult,
} from './sealed-wav-parts.js';
export {
  renderRecordingPcm,
  renderRecordingWav,
  type PcmRenderOptions,
  type PcmRenderResult,
  type PcmSink,
  type WavRenderOptions,
  type WavRenderResult,
  type WavSampleRate,
} from './wav-render.js';
export { DEFAULT_MAX_PART_BYTES, splitWav, type WavPart, type WavSplitOptions } from './wav-split.js';
