import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseRecordingKey, readSealedPart } from '../../src/recordings/index.js';

const WAV_MARKERS = [Buffer.from('RIFF'), Buffer.from('WAVEfmt ')];

/**
 * Files under `dir` (recursively) holding a RIFF or WAVE header anywhere: plaintext audio at rest. Files that
 * vanish while being scanned (delivery clean-up, retention) are skipped.
 */
export async function plaintextWavFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return found;
    throw error;
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (bytes && WAV_MARKERS.some((m) => bytes.includes(m))) found.push(path);
  }
  return found;
}

/** The plaintext WAV of an encrypted part, decrypted with the test's `RECORDING_KEY` (base64 or hex text). */
export async function decryptPart(path: string, keyText: string): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const chunk of readSealedPart(path, parseRecordingKey(keyText))) out.push(Buffer.from(chunk));
  return Buffer.concat(out);
}
