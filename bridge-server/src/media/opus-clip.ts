import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { MediaError } from '../errors.js';
import { demuxOggOpus, opusPacketSamples, type OpusPacket } from './ogg-opus.js';

/** Every clip the bridge plays is paced at 20 ms per packet (`HoldPlayer`). */
export const CLIP_PACKET_SAMPLES = 960;

/**
 * The recording-consent announcement (made by scripts/make-consent-prompt.sh): "This call may be recorded for
 * quality and training." Played once to the caller of a recorded queue with `recordingConsent` on.
 */
export const DEFAULT_CONSENT_PROMPT_PATH = fileURLToPath(new URL('./assets/consent-en.opus', import.meta.url));

/**
 * Read a bundled Ogg Opus clip (RFC 7845) as frozen 20 ms packets for `HoldPlayer`. Load it once and give the
 * same array to every call. Throws a MediaError naming `what` when the file is missing, is not Ogg Opus, holds
 * no audio or has a packet of another duration (encode with `opusenc --framesize 20`).
 */
export async function loadOpusClip(path: string, what: string): Promise<readonly OpusPacket[]> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    throw MediaError.failed(`cannot read ${what} ${path}`, error);
  }
  const { packets } = demuxOggOpus(data);
  if (packets.length === 0) throw MediaError.failed(`${what} ${path} has no audio packets`);
  const odd = packets.findIndex((p) => opusPacketSamples(p) !== CLIP_PACKET_SAMPLES);
  if (odd >= 0) throw MediaError.failed(`${what} ${path}: packet ${odd} is not 20 ms (encode with --framesize 20)`);
  return Object.freeze(packets);
}

/** The consent announcement's packets (see {@link DEFAULT_CONSENT_PROMPT_PATH}). */
export function loadConsentPrompt(path: string = DEFAULT_CONSENT_PROMPT_PATH): Promise<readonly OpusPacket[]> {
  return loadOpusClip(path, 'consent prompt');
}
