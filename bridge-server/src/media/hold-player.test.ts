import { describe, expect, it } from 'vitest';
import { ManualClock, type Clock } from '../clock.js';
import { MediaError } from '../errors.js';
import { HoldPlayer, loadHoldAudio } from './hold-player.js';
import type { RtpPacket, RtpSink } from './media-leg.js';
import { CANONICAL_PT } from './media-options.js';

interface Sent {
  at: number;
  ssrc: number;
  seq: number;
  ts: number;
  marker: boolean;
  pt: number;
  payload: string;
}

/** Records what reaches the sink, copying the fields (the player reuses its packet object). */
class RecordingSink implements RtpSink {
  readonly sent: Sent[] = [];
  constructor(private readonly clock: Clock) {}
  sendRtp(p: RtpPacket): void {
    const h = p.header;
    this.sent.push({
      at: this.clock.now(),
      ssrc: h.ssrc,
      seq: h.sequenceNumber,
      ts: h.timestamp,
      marker: h.marker,
      pt: h.payloadType,
      payload: p.payload.toString('hex'),
    });
  }
  markDiscontinuity(): void {}
}

/** A clock whose timers all fire `lateMs` after they were due, like a busy event loop. */
function lateClock(inner: ManualClock, lateMs: number): Clock {
  return { now: () => inner.now(), setTimeout: (fn, ms) => inner.setTimeout(fn, ms + lateMs) };
}

const packets = [Buffer.from([0xf8, 1]), Buffer.from([0xf8, 2]), Buffer.from([0xf8, 3])];

describe('HoldPlayer', () => {
  it('sends a packet every 20 ms with sequence +1, timestamp +960 and the marker on the first only', () => {
    const clock = new ManualClock();
    const sink = new RecordingSink(clock);
    const player = new HoldPlayer(packets, sink, clock);
    const t0 = clock.now();
    player.start();
    clock.advance(1000);
    expect(sink.sent).toHaveLength(51); // t = 0, 20, …, 1000
    sink.sent.forEach((s, i) => {
      expect(s.at - t0).toBe(i * 20);
      expect(s.seq).toBe((sink.sent[0]!.seq + i) & 0xffff);
      expect(s.ts).toBe((sink.sent[0]!.ts + i * 960) >>> 0);
      expect(s.marker).toBe(i === 0);
      expect(s.pt).toBe(CANONICAL_PT.opus);
      expect(s.ssrc).toBe(sink.sent[0]!.ssrc);
    });
    player.stop();
  });

  it('loops the audio from the first packet after the last', () => {
    const clock = new ManualClock();
    const sink = new RecordingSink(clock);
    const player = new HoldPlayer(packets, sink, clock);
    player.start();
    clock.advance(120);
    expect(sink.sent.map((s) => s.payload)).toEqual(['f801', 'f802', 'f803', 'f801', 'f802', 'f803', 'f801']);
    player.stop();
  });

  it('does not drift when every timer fires late', () => {
    const clock = new ManualClock();
    const sink = new RecordingSink(clock);
    const player = new HoldPlayer(packets, sink, lateClock(clock, 7));
    player.start();
    clock.advance(10_000);
    // A timer-to-timer schedule would manage 10000 / 27 ≈ 370; ours stays on the 20 ms grid.
    expect(sink.sent.length).toBeGreaterThanOrEqual(500);
    expect(sink.sent.length).toBeLessThanOrEqual(501);
    player.stop();
  });

  it('skips ahead instead of bursting after the event loop stalled, and shows the gap in the timestamp', () => {
    const inner = new ManualClock();
    let jump = 0;
    const clock: Clock = { now: () => inner.now() + jump, setTimeout: (fn, ms) => inner.setTimeout(fn, ms) };
    const sink = new RecordingSink(clock);
    const player = new HoldPlayer(packets, sink, clock);
    player.start();
    inner.advance(100); // 6 packets
    jump = 1000; // the loop was blocked for a second
    inner.advance(20);
    const after = sink.sent.slice(6);
    expect(after.length).toBeLessThanOrEqual(2);
    expect(after[0]!.seq).toBe((sink.sent[5]!.seq + 1) & 0xffff);
    expect((after[0]!.ts - sink.sent[5]!.ts) >>> 0).toBeGreaterThanOrEqual(960 * 50);
    player.stop();
  });

  it('sends nothing after stop and leaves no timer; start and stop are idempotent', () => {
    const clock = new ManualClock();
    const sink = new RecordingSink(clock);
    const player = new HoldPlayer(packets, sink, clock);
    player.start();
    player.start();
    clock.advance(40);
    expect(sink.sent).toHaveLength(3);
    player.stop();
    player.stop();
    expect(player.playing).toBe(false);
    expect(clock.pending).toBe(0);
    clock.advance(1000);
    expect(sink.sent).toHaveLength(3);
  });

  it('plays an intro once before the loop, in the same stream, and says it was heard in full', () => {
    const clock = new ManualClock();
    const sink = new RecordingSink(clock);
    const player = new HoldPlayer(packets, sink, clock);
    const ends: boolean[] = [];
    const intro = [Buffer.from([0xf8, 0xa1]), Buffer.from([0xf8, 0xa2])];
    player.start({ packets: intro, onEnd: (complete) => ends.push(complete) });
    expect(ends).toEqual([]);
    clock.advance(20); // the intro's last packet goes out at t = 20; its end is told right after it
    expect(ends).toEqual([true]);
    expect(sink.sent).toHaveLength(2);
    clock.advance(60);
    expect(sink.sent.map((s) => s.payload)).toEqual(['f8a1', 'f8a2', 'f801', 'f802', 'f803']);
    expect(ends).toEqual([true]);
    expect(new Set(sink.sent.map((s) => s.ssrc)).size).toBe(1);
    sink.sent.forEach((s, i) => expect(s.seq).toBe((sink.sent[0]!.seq + i) & 0xffff));
    player.stop();
    expect(ends).toEqual([true]); // told once

    player.start(); // agent hold later: the loop only
    expect(sink.sent.at(-1)!.payload).toBe('f801');
    player.stop();
  });

  it('tells an intro it was cut short when stopped before its last packet', () => {
    const clock = new ManualClock();
    const sink = new RecordingSink(clock);
    const player = new HoldPlayer(packets, sink, clock);
    const ends: boolean[] = [];
    player.start({ packets: [...packets, ...packets], onEnd: (complete) => ends.push(complete) });
    clock.advance(40);
    player.stop();
    player.stop();
    expect(ends).toEqual([false]);
    expect(sink.sent).toHaveLength(3);
  });

  it('tells an intro it was not heard in full when a stall skipped some of it', () => {
    const inner = new ManualClock();
    let jump = 0;
    const clock: Clock = { now: () => inner.now() + jump, setTimeout: (fn, ms) => inner.setTimeout(fn, ms) };
    const sink = new RecordingSink(clock);
    const player = new HoldPlayer(packets, sink, clock);
    const ends: boolean[] = [];
    const intro = Array.from({ length: 10 }, (_, i) => Buffer.from([0xf8, 0xb0 + i]));
    player.start({ packets: intro, onEnd: (complete) => ends.push(complete) });
    inner.advance(40);
    jump = 500; // skips past the intro's end
    inner.advance(20);
    expect(ends).toEqual([false]);
    expect(sink.sent.slice(3).every((s) => !s.payload.startsWith('f8b'))).toBe(true);
    player.stop();
    expect(ends).toEqual([false]);
  });

  it('keeps playing when the intro listener throws, and treats an empty intro as heard', () => {
    const clock = new ManualClock();
    const sink = new RecordingSink(clock);
    const player = new HoldPlayer(packets, sink, clock);
    player.start({
      packets: [Buffer.from([0xf8, 0xc1])],
      onEnd: () => {
        throw new Error('listener bug');
      },
    });
    clock.advance(40);
    expect(sink.sent.map((s) => s.payload)).toEqual(['f8c1', 'f801', 'f802']);
    player.stop();
    const ends: boolean[] = [];
    player.start({ packets: [], onEnd: (complete) => ends.push(complete) });
    expect(ends).toEqual([true]);
    expect(sink.sent.at(-1)!.payload).toBe('f801');
    player.stop();
  });

  it('starts a new segment on restart: new SSRC, marker bit, loop from the top', () => {
    const clock = new ManualClock();
    const sink = new RecordingSink(clock);
    const player = new HoldPlayer(packets, sink, clock);
    player.start();
    clock.advance(20);
    player.stop();
    clock.advance(500);
    player.start();
    const restarted = sink.sent[2]!;
    expect(restarted.ssrc).not.toBe(sink.sent[0]!.ssrc);
    expect(restarted.marker).toBe(true);
    expect(restarted.payload).toBe('f801');
    player.stop();
  });
});

describe('loadHoldAudio', () => {
  it('loads the bundled asset as frozen 20 ms Opus packets', async () => {
    const audio = await loadHoldAudio();
    expect(audio.length).toBeGreaterThan(300);
    expect(Object.isFrozen(audio)).toBe(true);
    // TOC of every packet: CELT-only or hybrid/SILK at 20 ms, one frame (opusenc --framesize 20).
    for (const p of audio) expect(p[0]! & 3).toBe(0);
  });

  it('rejects a missing file with a MediaError', async () => {
    await expect(loadHoldAudio('/nonexistent/hold.opus')).rejects.toBeInstanceOf(MediaError);
  });
});
