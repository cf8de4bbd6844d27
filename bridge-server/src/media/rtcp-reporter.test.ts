import { describe, expect, it } from 'vitest';
import { RtcpPacketConverter, RtcpRrPacket, RtcpSourceDescriptionPacket, RtcpSrPacket, RtpHeader } from 'werift';
import { ntpTimestamp, RtcpReporter } from './rtcp-reporter.js';

const rtp = (seq: number, ts: number, ssrc = 0xabc) => new RtpHeader({ ssrc, sequenceNumber: seq, timestamp: ts, payloadType: 111 });

/** Serialise and parse back with werift, so we assert on what goes on the wire. */
function wire(packets: ReturnType<RtcpReporter['build']>) {
  return RtcpPacketConverter.deSerialize(Buffer.concat(packets.map((p) => p.serialize())));
}

describe('RtcpReporter', () => {
  it('reports loss and the extended highest sequence across a wrap, not counting reordering as loss', () => {
    const r = new RtcpReporter(7, 'cname-7');
    // 65533 … 5 with 1 missing and 3/4 swapped: 9 expected, 8 received.
    const seqs = [65533, 65534, 65535, 0, 2, 4, 3, 5];
    seqs.forEach((seq, i) => r.onRtp(rtp(seq, i * 960), i * 20));
    const [rr, sdes] = wire(r.build(1000, undefined));
    expect(rr).toBeInstanceOf(RtcpRrPacket);
    expect((rr as RtcpRrPacket).ssrc).toBe(7);
    expect((rr as RtcpRrPacket).reports[0]).toMatchObject({
      ssrc: 0xabc,
      packetsLost: 1,
      fractionLost: Math.floor(256 / 9),
      highestSequence: 0x10000 + 5,
      lsr: 0,
      dlsr: 0,
    });
    expect(sdes).toBeInstanceOf(RtcpSourceDescriptionPacket);
    expect((sdes as RtcpSourceDescriptionPacket).chunks[0]!.items[0]!.text).toBe('cname-7');

    // The fraction is per interval: nothing lost since the last report.
    r.onRtp(rtp(6, 8 * 960), 160);
    const [again] = wire(r.build(2000, undefined));
    expect((again as RtcpRrPacket).reports[0]).toMatchObject({ packetsLost: 1, fractionLost: 0 });
  });

  it('estimates interarrival jitter in timestamp units (RFC 3550 §A.8)', () => {
    const r = new RtcpReporter(7, 'c');
    for (let i = 0; i < 10; i++) r.onRtp(rtp(i, i * 960), i * 20); // perfectly paced
    r.onRtp(rtp(10, 10 * 960), 10 * 20 + 10); // one packet 10 ms late: D = 480
    const [rr] = wire(r.build(1000, undefined));
    expect((rr as RtcpRrPacket).reports[0]!.jitter).toBe(30); // 480 / 16
  });

  it('sends an SR with sender info while sending, with LSR and DLSR from the remote SR', () => {
    const r = new RtcpReporter(7, 'c');
    r.onRtp(rtp(1, 0), 0);
    const remoteNtp = ntpTimestamp(1_700_000_000_250);
    r.onSenderReport(0xabc, remoteNtp, 10_000);
    const [sr] = wire(r.build(10_500, { packets: 50, octets: 4000, rtpTimestamp: 123_456 }));
    expect(sr).toBeInstanceOf(RtcpSrPacket);
    const { senderInfo, reports } = sr as RtcpSrPacket;
    expect(senderInfo).toMatchObject({ packetCount: 50, octetCount: 4000, rtpTimestamp: 123_456 });
    expect(senderInfo.ntpTimestamp).toBe(ntpTimestamp(10_500));
    expect(reports[0]).toMatchObject({ lsr: Number((remoteNtp >> 16n) & 0xffffffffn), dlsr: 32768 });
  });

  it('starts its statistics again when the remote source changes, and reports nothing before any packet', () => {
    const r = new RtcpReporter(7, 'c');
    expect((wire(r.build(0, undefined))[0] as RtcpRrPacket).reports).toHaveLength(0);
    r.onRtp(rtp(100, 0), 0);
    r.onRtp(rtp(105, 4800), 100); // 4 lost
    r.onRtp(rtp(9, 0, 0xdef), 120);
    r.onRtp(rtp(10, 960, 0xdef), 140);
    const [rr] = wire(r.build(1000, undefined));
    expect((rr as RtcpRrPacket).reports[0]).toMatchObject({ ssrc: 0xdef, packetsLost: 0, highestSequence: 10 });
  });
});

describe('ntpTimestamp', () => {
  it('puts seconds since 1900 in the high word and the fraction in the low word (RFC 5905 §6)', () => {
    const ntp = ntpTimestamp(1500); // 1.5 s after the Unix epoch
    expect(Number(ntp >> 32n)).toBe(2_208_988_801);
    expect(Number(ntp & 0xffffffffn)).toBe(2 ** 31);
  });
});
