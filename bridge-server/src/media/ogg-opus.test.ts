import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MediaError } from '../errors.js';
import { DEFAULT_HOLD_AUDIO_PATH } from './hold-player.js';
import { demuxOggOpus, opusPacketSamples } from './ogg-opus.js';

/** An Ogg page (RFC 3533 §6) with a correct CRC; `lacing` is the segment table for `body`. */
function page(opts: { serial: number; seq: number; flags?: number; lacing: number[]; body: Buffer }): Buffer {
  const header = Buffer.alloc(27 + opts.lacing.length);
  header.write('OggS', 0, 'latin1');
  header[5] = opts.flags ?? 0;
  header.writeUInt32LE(opts.serial, 14);
  header.writeUInt32LE(opts.seq, 18);
  header[26] = opts.lacing.length;
  opts.lacing.forEach((l, i) => (header[27 + i] = l));
  const out = Buffer.concat([header, opts.body]);
  out.writeUInt32LE(crc(out), 22);
  return out;
}

/** Bit-by-bit reference CRC (polynomial 0x04c11db7, MSB first, init 0), independent of the table version. */
function crc(buf: Buffer): number {
  let r = 0;
  for (const byte of buf) {
    r ^= byte << 24;
    for (let i = 0; i < 8; i++) r = r & 0x80000000 ? ((r << 1) ^ 0x04c11db7) >>> 0 : (r << 1) >>> 0;
  }
  return r >>> 0;
}

function lacingFor(...sizes: number[]): number[] {
  return sizes.flatMap((size) => [...Array<number>(Math.floor(size / 255)).fill(255), size % 255]);
}

const opusHead = (channels = 2): Buffer => {
  const b = Buffer.alloc(19);
  b.write('OpusHead', 0, 'latin1');
  b[8] = 1;
  b[9] = channels;
  b.writeUInt16LE(312, 10);
  b.writeUInt32LE(48000, 12);
  return b;
};
const opusTags = Buffer.concat([Buffer.from('OpusTags', 'latin1'), Buffer.alloc(8)]);

describe('demuxOggOpus', () => {
  it('reads the bundled hold audio as 20 ms packets without the header packets', () => {
    const { head, packets } = demuxOggOpus(readFileSync(DEFAULT_HOLD_AUDIO_PATH));
    expect(head).toEqual({ channels: 1, preSkip: 312, inputSampleRate: 48000 });
    // 8 s of audio plus the encoder's 312-sample pre-skip: 401 packets.
    expect(packets).toHaveLength(401);
    for (const p of packets) expect(opusPacketSamples(p)).toBe(960);
  });

  it('joins a packet that spans two pages and skips pages of another logical stream', () => {
    const big = Buffer.alloc(600, 0xab);
    big[0] = 0xfc; // TOC: CELT fullband 20 ms, one frame
    const small = Buffer.from([0xfc, 1, 2, 3]);
    const file = Buffer.concat([
      page({ serial: 7, seq: 0, flags: 0x02, lacing: lacingFor(19), body: opusHead() }),
      page({ serial: 9, seq: 0, flags: 0x02, lacing: lacingFor(5), body: Buffer.from('other') }),
      page({ serial: 7, seq: 1, lacing: lacingFor(16), body: opusTags }),
      // 600 bytes = 255 + 255 + 90: the first page ends after two 255 segments, the packet goes on.
      page({ serial: 7, seq: 2, lacing: [255, 255], body: big.subarray(0, 510) }),
      page({ serial: 9, seq: 1, lacing: lacingFor(3), body: Buffer.from('xyz') }),
      page({ serial: 7, seq: 3, flags: 0x01 | 0x04, lacing: [90, 4], body: Buffer.concat([big.subarray(510), small]) }),
    ]);
    const { head, packets } = demuxOggOpus(file);
    expect(head.channels).toBe(2);
    expect(packets).toEqual([big, small]);
  });

  it('rejects a page whose CRC does not match', () => {
    const file = page({ serial: 1, seq: 0, flags: 0x02, lacing: lacingFor(19), body: opusHead() });
    file[40] ^= 0xff;
    expect(() => demuxOggOpus(file)).toThrow(MediaError);
    expect(() => demuxOggOpus(file)).toThrow(/CRC/);
  });

  it('rejects data that is not Ogg, an Ogg stream that is not Opus, and a truncated page', () => {
    expect(() => demuxOggOpus(Buffer.from('RIFF....WAVEfmt '))).toThrow(/no Ogg page/);
    const vorbis = page({ serial: 1, seq: 0, flags: 0x02, lacing: lacingFor(7), body: Buffer.from('\x01vorbis') });
    expect(() => demuxOggOpus(vorbis)).toThrow(/no Opus stream/);
    const whole = page({ serial: 1, seq: 0, flags: 0x02, lacing: lacingFor(19), body: opusHead() });
    expect(() => demuxOggOpus(whole.subarray(0, whole.length - 3))).toThrow(/truncated/);
  });
});

describe('opusPacketSamples', () => {
  it('reads the duration from the TOC byte (RFC 6716 §3.1)', () => {
    expect(opusPacketSamples(Buffer.from([(1 << 3) | 0]))).toBe(960); // SILK NB 20 ms, 1 frame
    expect(opusPacketSamples(Buffer.from([(3 << 3) | 1]))).toBe(5760); // SILK 60 ms, 2 frames
    expect(opusPacketSamples(Buffer.from([(13 << 3) | 0]))).toBe(960); // hybrid 20 ms
    expect(opusPacketSamples(Buffer.from([(16 << 3) | 0]))).toBe(120); // CELT 2.5 ms
    expect(opusPacketSamples(Buffer.from([(31 << 3) | 3, 3]))).toBe(2880); // CELT 20 ms x 3 frames
    expect(() => opusPacketSamples(Buffer.alloc(0))).toThrow(MediaError);
  });
});
