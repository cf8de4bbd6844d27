import type { RecordingPart } from './crm-adapter.js';

/** Reads a whole part into memory (parts are at most the configured part size, 50 MB by default). */
export async function readPartBytes(part: RecordingPart): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of part.open()) chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  return Buffer.concat(chunks);
}

/** A part whose bytes are already in memory (tests, small recordings). */
export function bufferPart(
  bytes: Uint8Array,
  fields: { index: number; total: number; filename: string; recordingUrl?: string },
): RecordingPart {
  return {
    ...fields,
    contentType: 'audio/wav',
    byteLength: bytes.byteLength,
    async *open() {
      yield bytes;
    },
  };
}
