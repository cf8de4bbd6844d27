import { describe, expect, it } from 'vitest';
import { RtpHeader } from 'werift';
import { RtpStreamRewriter } from './rtp-stream-rewriter.js';

describe('RtpStreamRewriter', () => {
  const header = (ssrc: number, seq: number, ts: number, marker = false) =>
    new RtpHeader({ ssrc, sequenceNumber: seq, timestamp: ts, marker, payloadType: 111 });

  it('continues sequence and timestamp across a source switch and marks the first packet of the new source', () => {
    let now = 0;
    const rw = new RtpStreamRewriter(99, () => now, 65534, 4_294_966_000);
    const a = [0, 1, 2].map((i) => {
      now = i * 20;
      const out = rw.rewrite(header(1, 500 + i, 10_000 + i * 960), 111);
      return { seq: out.sequenceNumber, ts: out.timestamp, marker: out.marker, ssrc: out.ssrc };
    });
    expect(a).toEqual([
      { seq: 65534, ts: 4_294_966_000, marker: true, ssrc: 99 },
      { seq: 65535, ts: (4_294_966_000 + 960) >>> 0, marker: false, ssrc: 99 },
      { seq: 0, ts: (4_294_966_000 + 1920) >>> 0, marker: false, ssrc: 99 },
    ]);
    now = 40 + 100; // the new source starts 100 ms after the last packet
    const b = rw.rewrite(header(2, 7, 123), 109);
    expect(b.sequenceNumber).toBe(1);
    expect(b.timestamp).toBe((4_294_966_000 + 1920 + 100 * 48) >>> 0);
    expect(b.marker).toBe(true);
    expect(b.payloadType).toBe(109);
    now += 20;
    expect(rw.rewrite(header(2, 8, 123 + 960), 111)).toMatchObject({ sequenceNumber: 2, marker: false });
  });

  it('keeps reordering and loss within a source visible, and advances at least one frame on a quick switch', () => {
    const now = 0;
    const rw = new RtpStreamRewriter(1, () => now, 100, 0);
    rw.rewrite(header(1, 10, 0), 111);
    expect(rw.rewrite(header(1, 13, 2880), 111).sequenceNumber).toBe(103);
    expect(rw.rewrite(header(1, 12, 1920), 111).sequenceNumber).toBe(102);
    rw.markDiscontinuity();
    const next = rw.rewrite(header(1, 14, 3840), 111);
    expect(next.sequenceNumber).toBe(104);
    expect(next.timestamp).toBe(2880 + 960);
    expect(next.marker).toBe(true);
  });
});
