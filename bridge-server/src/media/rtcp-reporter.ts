import {
  RtcpReceiverInfo,
  RtcpRrPacket,
  RtcpSenderInfo,
  RtcpSourceDescriptionPacket,
  RtcpSrPacket,
  SourceDescriptionChunk,
  SourceDescriptionItem,
  type RtcpPacket,
  type RtpHeader,
} from 'werift';

/** Seconds from the NTP epoch (1900) to the Unix epoch (RFC 868). */
const NTP_UNIX_OFFSET_S = 2_208_988_800;
/** RFC 3550 §A.1: a forward jump within this is loss; anything further starts the count again. */
const MAX_DROPOUT = 3000;
/** RFC 3550 §A.1: a step back within this is a reordered (late) packet. */
const MAX_MISORDER = 100;
const SAMPLES_PER_MS = 48;
/** SDES item type CNAME (RFC 3550 §6.5.1). */
const SDES_CNAME = 1;

/** What the leg sent since it started, for the sender info of an SR. */
export interface SenderCounts {
  packets: number;
  octets: number;
  /** The RTP timestamp that corresponds to the report's wall-clock time. */
  rtpTimestamp: number;
}

/**
 * RTCP for one leg, in place of werift's RTCRtpSender and RTCRtpReceiver reports (the leg bypasses both on
 * the hot path): reception statistics for the one remote source (RFC 3550 §6.4.1, §A.1 sequence tracking,
 * §A.3 loss, §A.8 interarrival jitter) kept with a few integer operations per packet and no allocation, and a
 * compound report on demand: SR when we have sent since the last report, RR otherwise, each with one
 * reception report block and an SDES CNAME (RFC 3550 §6.1).
 */
export class RtcpReporter {
  readonly #ssrc: number;
  readonly #cname: string;
  // Reception state for the current remote source; -1 = none yet.
  #source = -1;
  #baseSeq = 0;
  #maxSeq = 0;
  #cycles = 0;
  #received = 0;
  #expectedPrior = 0;
  #receivedPrior = 0;
  #transit = Number.NaN;
  #jitter = 0;
  /** Middle 32 bits of the last SR's NTP timestamp from the remote, and when it arrived (ms). */
  #lastSr = 0;
  #lastSrAt = Number.NaN;

  constructor(ssrc: number, cname: string) {
    this.#ssrc = ssrc;
    this.#cname = cname;
  }

  /** Account one inbound RTP packet that arrived at `arrivalMs` (Opus clock). Hot path. */
  onRtp(header: RtpHeader, arrivalMs: number): void {
    const seq = header.sequenceNumber;
    if (header.ssrc !== this.#source) {
      this.#restart(header.ssrc, seq);
    } else {
      const delta = (seq - this.#maxSeq) & 0xffff;
      if (delta < MAX_DROPOUT) {
        if (seq < this.#maxSeq) this.#cycles += 0x10000;
        this.#maxSeq = seq;
      } else if (delta <= 0x10000 - MAX_MISORDER) {
        this.#restart(header.ssrc, seq); // the source restarted its sequence
      } // else: a reordered or duplicate packet, counted below
    }
    this.#received++;
    const transit = arrivalMs * SAMPLES_PER_MS - header.timestamp;
    if (!Number.isNaN(this.#transit)) {
      let d = transit - this.#transit;
      if (d < 0) d = -d;
      if (d < 0x80000000) this.#jitter += (d - this.#jitter) / 16; // skip timestamp wrap-arounds
    }
    this.#transit = transit;
  }

  /** Note an SR from the remote (for LSR/DLSR, RFC 3550 §6.4.1). */
  onSenderReport(ssrc: number, ntpTimestamp: bigint, arrivalMs: number): void {
    if (ssrc !== this.#source) return;
    this.#lastSr = Number((ntpTimestamp >> 16n) & 0xffffffffn);
    this.#lastSrAt = arrivalMs;
  }

  /** The compound report to send at `nowMs`: an SR if `sent` is given, else an RR. */
  build(nowMs: number, sent: SenderCounts | undefined): RtcpPacket[] {
    const reports = this.#source < 0 ? [] : [this.#reportBlock(nowMs)];
    const sdes = new RtcpSourceDescriptionPacket({
      chunks: [
        new SourceDescriptionChunk({
          source: this.#ssrc,
          items: [new SourceDescriptionItem({ type: SDES_CNAME, text: this.#cname })],
        }),
      ],
    });
    if (!sent) return [new RtcpRrPacket({ ssrc: this.#ssrc, reports }), sdes];
    const senderInfo = new RtcpSenderInfo({
      ntpTimestamp: ntpTimestamp(nowMs),
      rtpTimestamp: sent.rtpTimestamp >>> 0,
      packetCount: sent.packets >>> 0,
      octetCount: sent.octets >>> 0,
    });
    return [new RtcpSrPacket({ ssrc: this.#ssrc, senderInfo, reports }), sdes];
  }

  #restart(ssrc: number, seq: number): void {
    this.#source = ssrc;
    this.#baseSeq = seq;
    this.#maxSeq = seq;
    this.#cycles = 0;
    this.#received = 0;
    this.#expectedPrior = 0;
    this.#receivedPrior = 0;
    this.#transit = Number.NaN;
    this.#jitter = 0;
    this.#lastSrAt = Number.NaN;
  }

  /** RFC 3550 §6.4.1 and §A.3. */
  #reportBlock(nowMs: number): RtcpReceiverInfo {
    const extendedMax = this.#cycles + this.#maxSeq;
    const expected = extendedMax - this.#baseSeq + 1;
    // Cumulative loss is a signed 24-bit field (duplicates can make it negative), written two's complement.
    const lost = Math.max(-0x800000, Math.min(0x7fffff, expected - this.#received)) & 0xffffff;
    const expectedInterval = expected - this.#expectedPrior;
    const lostInterval = expectedInterval - (this.#received - this.#receivedPrior);
    this.#expectedPrior = expected;
    this.#receivedPrior = this.#received;
    const fractionLost = expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval * 256) / expectedInterval);
    const hasSr = !Number.isNaN(this.#lastSrAt);
    return new RtcpReceiverInfo({
      ssrc: this.#source,
      fractionLost: Math.min(fractionLost, 255),
      packetsLost: lost,
      highestSequence: extendedMax >>> 0,
      jitter: Math.floor(this.#jitter) >>> 0,
      lsr: hasSr ? this.#lastSr >>> 0 : 0,
      dlsr: hasSr ? Math.floor(((nowMs - this.#lastSrAt) * 65536) / 1000) >>> 0 : 0,
    });
  }
}

/** 64-bit NTP timestamp (RFC 5905 §6) for a Unix time in milliseconds. */
export function ntpTimestamp(unixMs: number): bigint {
  const seconds = Math.floor(unixMs / 1000);
  const fraction = Math.floor(((unixMs - seconds * 1000) / 1000) * 2 ** 32);
  return (BigInt(seconds + NTP_UNIX_OFFSET_S) << 32n) | BigInt(fraction >>> 0);
}
