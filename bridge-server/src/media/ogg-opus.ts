import { MediaError } from '../errors.js';

/** One Opus packet (RFC 6716 §3), as carried in one RTP payload (RFC 7587 §4.2). */
export type OpusPacket = Buffer;

/** The identification header of an Ogg Opus stream (RFC 7845 §5.1). */
export interface OpusHead {
  channels: number;
  /** Samples at 48 kHz to discard from the decoder output at the start. */
  preSkip: number;
  /** The original input rate, informational only. */
  inputSampleRate: number;
}

const PAGE_HEADER_SIZE = 27;
const FLAG_CONTINUED = 0x01;
const FLAG_BOS = 0x02;

/**
 * Demultiplex an Ogg Opus file (RFC 7845 on the Ogg framing of RFC 3533) into its audio packets. Reads the
 * first logical stream whose first packet is an OpusHead, checks every page's CRC, joins packets that span
 * pages and skips the OpusHead and OpusTags header packets. Pure; throws a MediaError on malformed input.
 */
export function demuxOggOpus(data: Uint8Array): { head: OpusHead; packets: OpusPacket[] } {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const packets: OpusPacket[] = [];
  let serial: number | undefined;
  let head: OpusHead | undefined;
  let headerPackets = 0;
  let partial: Buffer[] = [];
  let offset = 0;
  while (offset < buf.length) {
    if (buf.length - offset < PAGE_HEADER_SIZE || buf.toString('latin1', offset, offset + 4) !== 'OggS') {
      throw invalid(`no Ogg page at byte ${offset}`);
    }
    if (buf[offset + 4] !== 0) throw invalid(`unsupported Ogg version ${buf[offset + 4]}`);
    const flags = buf[offset + 5]!;
    const pageSerial = buf.readUInt32LE(offset + 14);
    const segments = buf[offset + 26]!;
    const bodyStart = offset + PAGE_HEADER_SIZE + segments;
    if (bodyStart > buf.length) throw invalid(`truncated page header at byte ${offset}`);
    let bodySize = 0;
    for (let i = 0; i < segments; i++) bodySize += buf[offset + PAGE_HEADER_SIZE + i]!;
    const pageEnd = bodyStart + bodySize;
    if (pageEnd > buf.length) throw invalid(`truncated page at byte ${offset}`);
    if (oggCrc(buf, offset, pageEnd) !== buf.readUInt32LE(offset + 22)) throw invalid(`bad CRC on page at byte ${offset}`);

    if (serial === undefined && flags & FLAG_BOS && isMagic(buf, bodyStart, 'OpusHead')) serial = pageSerial;
    if (pageSerial === serial) {
      if (!(flags & FLAG_CONTINUED)) partial = [];
      let segmentStart = bodyStart;
      let packetStart = bodyStart;
      for (let i = 0; i < segments; i++) {
        const lacing = buf[offset + PAGE_HEADER_SIZE + i]!;
        segmentStart += lacing;
        if (lacing === 255) continue; // the packet goes on in the next segment (or page)
        partial.push(buf.subarray(packetStart, segmentStart));
        const packet = partial.length === 1 ? Buffer.from(partial[0]!) : Buffer.concat(partial);
        partial = [];
        packetStart = segmentStart;
        if (headerPackets === 0) {
          head = parseOpusHead(packet);
          headerPackets++;
        } else if (headerPackets === 1) {
          if (!isMagic(packet, 0, 'OpusTags')) throw invalid('second packet is not OpusTags');
          headerPackets++;
        } else if (packet.length > 0) {
          packets.push(packet);
        }
      }
      if (packetStart < segmentStart) partial.push(buf.subarray(packetStart, segmentStart));
    }
    offset = pageEnd;
  }
  if (!head) throw invalid('no Opus stream found');
  return { head, packets };
}

/**
 * Samples at 48 kHz in one Opus packet, from its TOC byte (RFC 6716 §3.1): the frame size its
 * configuration number gives times the frame count its code gives.
 */
export function opusPacketSamples(packet: Uint8Array): number {
  if (packet.length === 0) throw invalid('empty Opus packet');
  const toc = packet[0]!;
  const config = toc >> 3;
  // Frame sizes in 1/400 s units (2.5 ms = 120 samples): SILK 10/20/40/60 ms, hybrid 10/20, CELT 2.5/5/10/20.
  const frameSamples =
    config < 12 ? [480, 960, 1920, 2880][config & 3]! : config < 16 ? [480, 960][config & 1]! : [120, 240, 480, 960][config & 3]!;
  const code = toc & 3;
  let frames: number;
  if (code === 0) frames = 1;
  else if (code < 3) frames = 2;
  else {
    if (packet.length < 2) throw invalid('code 3 Opus packet without a frame count');
    frames = packet[1]! & 0x3f;
  }
  return frameSamples * frames;
}

function parseOpusHead(packet: Buffer): OpusHead {
  // RFC 7845 §5.1: magic, version (major 0), channels, pre-skip, input rate, gain, mapping family.
  if (packet.length < 19 || !isMagic(packet, 0, 'OpusHead')) throw invalid('first packet is not OpusHead');
  if (packet[8]! >> 4 !== 0) throw invalid(`unsupported OpusHead version ${packet[8]}`);
  const channels = packet[9]!;
  if (channels === 0) throw invalid('OpusHead with zero channels');
  return { channels, preSkip: packet.readUInt16LE(10), inputSampleRate: packet.readUInt32LE(12) };
}

function isMagic(buf: Buffer, at: number, magic: string): boolean {
  return buf.length >= at + magic.length && buf.toString('latin1', at, at + magic.length) === magic;
}

function invalid(reason: string): MediaError {
  return MediaError.failed(`invalid Ogg Opus data: ${reason}`);
}

let crcTable: Uint32Array | undefined;

/** Ogg's CRC-32 (RFC 3533 §6: polynomial 0x04c11db7, MSB first, initial 0) with the CRC field taken as 0. */
function oggCrc(buf: Buffer, start: number, end: number): number {
  crcTable ??= buildCrcTable();
  let crc = 0;
  for (let i = start; i < end; i++) {
    const byte = i - start >= 22 && i - start < 26 ? 0 : buf[i]!;
    crc = ((crc << 8) ^ crcTable[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
  }
  return crc;
}

function buildCrcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
}
