/** Per-channel RMS, channel count, sample rate and duration of a 16-bit PCM stereo WAV (for assertions). */
export function channelRms(wav: Buffer): { left: number; right: number; channels: number; rate: number; seconds: number } {
  const channels = wav.readUInt16LE(22);
  const rate = wav.readUInt32LE(24);
  let offset = 12;
  while (wav.toString('ascii', offset, offset + 4) !== 'data') offset += 8 + wav.readUInt32LE(offset + 4);
  const size = wav.readUInt32LE(offset + 4);
  let l = 0;
  let r = 0;
  const frames = size / 4;
  for (let i = 0; i < frames; i++) {
    const at = offset + 8 + i * 4;
    l += wav.readInt16LE(at) ** 2;
    r += wav.readInt16LE(at + 2) ** 2;
  }
  return { left: Math.sqrt(l / frames), right: Math.sqrt(r / frames), channels, rate, seconds: frames / rate };
}

/** Per-channel RMS of each consecutive `windowSec` slice of a 16-bit PCM stereo WAV, in order. */
export function windowRms(wav: Buffer, windowSec: number): { left: number; right: number }[] {
  const rate = wav.readUInt32LE(24);
  let offset = 12;
  while (wav.toString('ascii', offset, offset + 4) !== 'data') offset += 8 + wav.readUInt32LE(offset + 4);
  const frames = wav.readUInt32LE(offset + 4) / 4;
  const per = Math.max(1, Math.round(windowSec * rate));
  const windows: { left: number; right: number }[] = [];
  for (let start = 0; start + per <= frames; start += per) {
    let l = 0;
    let r = 0;
    for (let i = start; i < start + per; i++) {
      const at = offset + 8 + i * 4;
      l += wav.readInt16LE(at) ** 2;
      r += wav.readInt16LE(at + 2) ** 2;
    }
    windows.push({ left: Math.sqrt(l / per), right: Math.sqrt(r / per) });
  }
  return windows;
}
