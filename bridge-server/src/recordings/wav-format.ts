import type { FileHandle } from 'node:fs/promises';
import { RecordingError } from './recording-errors.js';

/** The canonical header: RIFF, WAVE, a 16-byte `fmt ` chunk, the `data` chunk header. */
export const WAV_HEADER_BYTES = 44;
/** RIFF sizes are 32-bit: the RIFF chunk size (file size − 8) must fit in a u32. */
export const MAX_WAV_DATA_BYTES = 0xffffffff - (WAV_HEADER_BYTES - 8);

export interface PcmFormat {
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
}

export interface WavInfo extends PcmFormat {
  /** Bytes per sample frame (all channels). */
  blockAlign: number;
  /** File offset of the first PCM byte. */
  dataOffset: number;
  /** PCM bytes, a whole number of sample frames. */
  dataBytes: number;
}

/**
 * A 44-byte RIFF/WAVE header for integer PCM (WAVE_FORMAT_PCM = 1, little-endian samples, channels
 * interleaved; Microsoft's RIFF specification, "Multimedia Programming Interface and Data Specifications
 * 1.0", 1991). Channel 1 is left, channel 2 right.
 */
export function wavHeader(format: PcmFormat, dataBytes: number): Buffer {
  if (dataBytes > MAX_WAV_DATA_BYTES) throw RecordingError.tooLong(`${dataBytes} bytes of PCM`);
  const blockAlign = format.channels * (format.bitsPerSample / 8);
  const h = Buffer.alloc(WAV_HEADER_BYTES);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(WAV_HEADER_BYTES - 8 + dataBytes, 4);
  h.write('WAVE', 8, 'latin1');
  h.write('fmt ', 12, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(format.channels, 22);
  h.writeUInt32LE(format.sampleRate, 24);
  h.writeUInt32LE(format.sampleRate * blockAlign, 28);
  h.writeUInt16LE(blockAlign, 32);
  h.writeUInt16LE(format.bitsPerSample, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

/**
 * Find the format and the PCM data of a WAV file, walking its RIFF chunks (other chunks such as `LIST` are
 * skipped; chunks are padded to even sizes). A `data` size larger than the file (a writer that never
 * patched it, or 0xFFFFFFFF from a streaming writer) is clamped to what the file holds. Only integer PCM.
 */
export async function readWavInfo(fh: FileHandle, path: string): Promise<WavInfo> {
  const size = (await fh.stat()).size;
  const bad = (why: string) => RecordingError.invalidWav(path, why);
  const head = Buffer.alloc(12);
  if (size < 12 || (await fh.read(head, 0, 12, 0)).bytesRead < 12) throw bad('shorter than a RIFF header');
  if (head.toString('latin1', 0, 4) !== 'RIFF' || head.toString('latin1', 8, 12) !== 'WAVE') throw bad('no RIFF/WAVE header');
  let format: PcmFormat & { blockAlign: number } | undefined;
  const chunk = Buffer.alloc(8);
  for (let at = 12; at + 8 <= size; ) {
    await fh.read(chunk, 0, 8, at);
    const id = chunk.toString('latin1', 0, 4);
    const length = chunk.readUInt32LE(4);
    if (id === 'fmt ') {
      if (length < 16) throw bad('fmt chunk is too short');
      const fmt = Buffer.alloc(16);
      await fh.read(fmt, 0, 16, at + 8);
      const tag = fmt.readUInt16LE(0);
      if (tag !== 1) throw bad(`format tag ${tag} is not integer PCM`);
      format = { channels: fmt.readUInt16LE(2), sampleRate: fmt.readUInt32LE(4), blockAlign: fmt.readUInt16LE(12), bitsPerSample: fmt.readUInt16LE(14) };
      if (format.channels === 0 || format.blockAlign === 0 || format.blockAlign !== format.channels * Math.ceil(format.bitsPerSample / 8)) {
        throw bad('inconsistent fmt chunk');
      }
    } else if (id === 'data') {
      if (!format) throw bad('data chunk before fmt chunk');
      const available = Math.min(length, size - (at + 8));
      return { ...format, dataOffset: at + 8, dataBytes: available - (available % format.blockAlign) };
    }
    at += 8 + length + (length & 1);
  }
  throw bad('no data chunk');
}
