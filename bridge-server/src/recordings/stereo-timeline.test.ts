import { describe, expect, it } from 'vitest';
import { StereoTimeline } from './stereo-timeline.js';

const tone = (n: number, value: number) => new Float32Array(n).fill(value);

/** Run `fn` on a timeline and return the emitted PCM as [left, right] sample arrays. */
function collect(timeline: StereoTimeline, fn: (push: (b: Buffer) => void) => void): [number[], number[]] {
  const blocks: Buffer[] = [];
  fn((b) => blocks.push(Buffer.from(b)));
  const pcm = Buffer.concat(blocks);
  const left: number[] = [];
  const right: number[] = [];
  for (let i = 0; i < pcm.length; i += 4) {
    left.push(pcm.readInt16LE(i));
    right.push(pcm.readInt16LE(i + 2));
  }
  return [left, right];
}

describe('StereoTimeline', () => {
  it('puts channel 1 on the left and channel 2 on the right, each at its arrival sample, with silence in the gaps', () => {
    const t = new StereoTimeline();
    const [left, right] = collect(t, (push) => {
      t.place(1, 2, tone(3, 0.5));
      t.place(2, 6, tone(2, -0.25));
      t.finish(push);
    });
    expect(left).toEqual([0, 0, 16384, 16384, 16384, 0, 0, 0]);
    expect(right).toEqual([0, 0, 0, 0, 0, 0, -8192, -8192]);
    expect(t.end).toBe(8);
  });

  it('plays a frame that arrives before the previous one ended right after it, per channel, never overlapping', () => {
    const t = new StereoTimeline();
    expect(t.place(1, 0, tone(4, 0.1))).toBe(0);
    expect(t.place(1, 1, tone(4, 0.2))).toBe(4);
    expect(t.place(2, 1, tone(2, 0.3))).toBe(1); // the other channel keeps its own time
    expect(t.place(1, 20, tone(2, 0.4))).toBe(20);
    expect(t.end).toBe(22);
  });

  it('joins a frame that is only a little late onto the previous one (jitter), and leaves a longer gap silent', () => {
    const t = new StereoTimeline(5);
    t.place(1, 0, tone(10, 0.5));
    expect(t.place(1, 14, tone(10, 0.5))).toBe(10); // 4 samples late: jitter
    expect(t.place(1, 26, tone(10, 0.5))).toBe(26); // 6 samples late: a real gap
    expect(t.place(2, 3, tone(1, 0.5))).toBe(3); // the first frame of a channel is never pulled earlier
  });

  it('emits incrementally exactly what it would emit at once, and never places a frame before what was emitted', () => {
    const frames = Array.from({ length: 50 }, (_, i) => ({ ch: (i % 2) + 1 as 1 | 2, at: i * 7, v: ((i % 5) - 2) / 4 }));
    const whole = new StereoTimeline();
    const expected = collect(whole, (push) => {
      for (const f of frames) whole.place(f.ch, f.at, tone(8, f.v));
      whole.finish(push);
    });
    const inc = new StereoTimeline();
    const got = collect(inc, (push) => {
      for (const f of frames) {
        inc.drain(f.at - 16, push);
        inc.place(f.ch, f.at, tone(8, f.v));
      }
      inc.finish(push);
    });
    expect(got).toEqual(expected);

    const late = new StereoTimeline();
    late.drain(100, () => {});
    expect(late.place(2, 40, tone(1, 1))).toBe(100);
  });

  it('emits a long silence without holding it, and clips out-of-range samples', () => {
    const t = new StereoTimeline();
    const [left, right] = collect(t, (push) => {
      t.place(1, 0, Float32Array.of(2, -2));
      t.drain(100_000, push);
      t.place(2, 100_000, tone(1, 1));
      t.finish(push);
    });
    expect(left.length).toBe(100_001);
    expect(left.slice(0, 2)).toEqual([32767, -32768]);
    expect(right[100_000]).toBe(32767);
    expect(left.slice(2).every((s) => s === 0) && right.slice(0, 100_000).every((s) => s === 0)).toBe(true);
  });
});
