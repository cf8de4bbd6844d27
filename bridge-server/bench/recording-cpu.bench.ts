/**
 * CPU per call-second of the bridge with and without call recording, measured in the same run on the same
 * calls: `recorded` = relaying plus a {@link RecordingWriter} tapped on both legs of every call (copy into
 * the buffer, a sealed AES-256-GCM chunk and an fdatasync every 5 s per call, the final chunk on close);
 * `unrecorded` = relaying alone. ratio = recorded / unrecorded.
 *
 * Setup, as in media-relay.bench.ts: {@link CALLS} real calls, each a visitor leg and an agent leg (our
 * MediaLeg, werift, DTLS-SRTP over loopback) joined by a MediaRelay; the visitors and agents are werift
 * peers in a child process, so the parent's `process.cpuUsage()` (every thread of the process, so the
 * libuv pool's writes and syncs are included) counts only the bridge. Each party sends real 20 ms Opus
 * packets (the bundled hold audio) at 50 packets/s. The same calls stay connected throughout; rounds
 * alternate (unrecorded, recorded, …) so JIT, machine load and frequency scaling hit both alike. A recorded
 * round opens a writer per call, runs longer than the flush interval (so it includes a timed flush), and
 * closes the writers inside the measured window. Call-seconds = relayed packets / 100 (50 each way).
 *
 * Second line: the writer's own cost per call-second measured without the network (see benchWriter), as a
 * share of the relay's cost.
 *
 * Third line: rendering a one-minute, two-party recording to a 16 kHz stereo WAV against decoding the same
 * Opus packets alone (the floor: decoding is most of the work) — how long delivery waits on rendering.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OpusDecoder } from 'opus-decoder';
import { forkEndpoints, request, runEndpoints, send, waitFor, type ToChild } from './endpoint-process.js';
import { ManualClock, systemClock } from '../src/clock.js';
import { loadHoldAudio } from '../src/media/hold-player.js';
import { MediaLeg } from '../src/media/media-leg.js';
import type { MediaOptions } from '../src/media/media-options.js';
import { MediaRelay } from '../src/media/media-relay.js';
import { generateRecordingKey } from '../src/recordings/recording-key.js';
import { RecordingWriter } from '../src/recordings/recording-writer.js';
import { renderRecordingWav } from '../src/recordings/wav-render.js';

const ROLE_ENV = 'SAMBUNG_BENCH_RECORDING_ROLE';
const CALLS = 10;
const PACKET_MS = 20;
/** werift and V8 settle over the first seconds of traffic (a 1 s warm-up left the first round ~20% dearer). */
const WARMUP_MS = 3000;
/** Longer than the writer's 5 s flush interval, so a recorded round contains a timed flush. */
const ROUND_MS = 5500;
const ROUNDS_PER_VARIANT = 4;
const RENDER_CALL_SECONDS = 60;
const WRITER_CALL_SECONDS = 120;
const opts: MediaOptions = { iceServers: [], publicAddress: '127.0.0.1' };


interface Call {
  visitor: MediaLeg;
  agent: MediaLeg;
  relay: MediaRelay;
}

export default async function (): Promise<void> {
  const unrecorded = await benchCpu();
  await benchWriter(unrecorded);
  await benchRender();
}

/** Prints the recording-cpu line; returns the unrecorded relay's µs per call-second. */
async function benchCpu(): Promise<number> {
  const child = forkEndpoints(fileURLToPath(import.meta.url), ROLE_ENV);
  const dir = await mkdtemp(join(tmpdir(), 'sambung-bench-rec-'));
  const calls: Call[] = [];
  try {
    for (let i = 0; i < CALLS; i++) calls.push(await connect(child));
    const relayed = () => calls.reduce((n, c) => n + c.relay.stats.aToB.packets + c.relay.stats.bToA.packets, 0);
    const { key } = generateRecordingKey();
    await send(child, WARMUP_MS);
    const cost = { recorded: { cpu: 0, callSeconds: 0 }, unrecorded: { cpu: 0, callSeconds: 0 } };
    let recordings = 0;
    for (let round = 0; round < ROUNDS_PER_VARIANT; round++) {
      // ABBA order, so a drift in machine load during the run favours neither variant.
      for (const variant of round % 2 === 0 ? (['unrecorded', 'recorded'] as const) : (['recorded', 'unrecorded'] as const)) {
        const before = relayed();
        const cpu = process.cpuUsage();
        let writers: RecordingWriter[] = [];
        if (variant === 'recorded') {
          writers = await Promise.all(
            calls.map((c) => RecordingWriter.open({ dir, recordingId: `call-${++recordings}`, key, clock: systemClock })),
          );
          writers.forEach((w, i) => {
            w.attachToLeg(calls[i]!.visitor, 1);
            w.attachToLeg(calls[i]!.agent, 2);
          });
        }
        await send(child, ROUND_MS);
        await Promise.all(writers.map((w) => w.close()));
        const used = process.cpuUsage(cpu);
        cost[variant].cpu += used.user + used.system;
        cost[variant].callSeconds += (relayed() - before) / ((2 * 1000) / PACKET_MS);
      }
    }
    const recorded = cost.recorded.cpu / cost.recorded.callSeconds;
    const unrecorded = cost.unrecorded.cpu / cost.unrecorded.callSeconds;
    console.log(`bench recording-cpu: recorded=${recorded.toFixed(0)}us/s unrecorded=${unrecorded.toFixed(0)}us/s ratio=${(recorded / unrecorded).toFixed(3)}`);
    return unrecorded;
  } finally {
    for (const c of calls) {
      c.relay.close();
      await Promise.all([c.visitor.close(), c.agent.close()]);
    }
    await request(child, { type: 'close' }, 'closed').catch(() => {});
    child.kill();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The writer alone, without the network: {@link CALLS} calls' packets (real Opus, 50 pps each way) written
 * for {@link WRITER_CALL_SECONDS} simulated seconds, the 5 s flushes fired by a ManualClock and the real
 * appends and syncs awaited, then closed. Its share of a call's CPU is this against the relay's figure above
 * (the recorded/unrecorded ratio alone sits inside the relay's run-to-run noise).
 */
async function benchWriter(relayUsPerCallSecond: number): Promise<void> {
  const hold = await loadHoldAudio();
  const dir = await mkdtemp(join(tmpdir(), 'sambung-bench-writer-'));
  try {
    const { key } = generateRecordingKey();
    const clock = new ManualClock();
    const cpu = process.cpuUsage();
    const writers = await Promise.all(
      Array.from({ length: CALLS }, (_, i) => RecordingWriter.open({ dir, recordingId: `w-${i}`, key, clock })),
    );
    const ticks = (WRITER_CALL_SECONDS * 1000) / PACKET_MS;
    for (let t = 0; t < ticks; t++) {
      for (const w of writers) {
        w.write(1, hold[t % hold.length]!);
        w.write(2, hold[(t + 200) % hold.length]!);
      }
      clock.advance(PACKET_MS);
      if (t % 250 === 249) await Promise.all(writers.map((w) => w.flush())); // the appends the timer queued
    }
    await Promise.all(writers.map((w) => w.close()));
    const used = process.cpuUsage(cpu);
    const writer = (used.user + used.system) / (CALLS * WRITER_CALL_SECONDS);
    console.log(
      `bench recording-writer: writer=${writer.toFixed(1)}us/s relay=${relayUsPerCallSecond.toFixed(0)}us/s share=${((100 * writer) / relayUsPerCallSecond).toFixed(2)}%`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Render a minute of a two-party call (hold audio both ways, the agent's shifted) vs. decoding alone. */
async function benchRender(): Promise<void> {
  const hold = await loadHoldAudio();
  const dir = await mkdtemp(join(tmpdir(), 'sambung-bench-render-'));
  try {
    const { key } = generateRecordingKey();
    const clock = new ManualClock();
    const writer = await RecordingWriter.open({ dir, recordingId: 'render', key, clock });
    const ticks = (RENDER_CALL_SECONDS * 1000) / PACKET_MS;
    for (let t = 0; t < ticks; t++) {
      writer.write(1, hold[t % hold.length]!);
      writer.write(2, hold[(t + 200) % hold.length]!);
      clock.advance(PACKET_MS);
    }
    const { path } = await writer.close();

    await renderRecordingWav({ source: path, key, outPath: join(dir, 'warm-up.wav') }); // WASM compile, JIT
    const t0 = performance.now();
    await renderRecordingWav({ source: path, key, outPath: join(dir, 'render.wav') });
    const renderMs = performance.now() - t0;

    const decoders = [new OpusDecoder({ sampleRate: 16000, channels: 1 }), new OpusDecoder({ sampleRate: 16000, channels: 1 })];
    await Promise.all(decoders.map((d) => d.ready));
    const t1 = performance.now();
    for (let t = 0; t < ticks; t++) {
      decoders[0]!.decodeFrame(hold[t % hold.length]!);
      decoders[1]!.decodeFrame(hold[(t + 200) % hold.length]!);
    }
    const decodeMs = performance.now() - t1;
    for (const d of decoders) d.free();
    const perMinute = (ms: number) => ((ms * 60) / RENDER_CALL_SECONDS).toFixed(0);
    console.log(
      `bench recording-render: render=${perMinute(renderMs)}ms/call-min decode-only=${perMinute(decodeMs)}ms/call-min ratio=${(renderMs / decodeMs).toFixed(2)}`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One call: the child's visitor offers, our visitor leg answers; our agent leg offers, the child's agent answers. */
async function connect(child: ChildProcess): Promise<Call> {
  const visitorOffer = (await request(child, { type: 'offer' }, 'offer')).sdp;
  const { leg: visitor, answerSdp } = await MediaLeg.answer(visitorOffer, opts);
  const { leg: agent, offerSdp } = await MediaLeg.offer(opts);
  child.send({ type: 'answer', sdp: answerSdp } satisfies ToChild);
  const ready = waitFor(child, 'ready');
  await agent.acceptAnswer((await request(child, { type: 'offer-from-bridge', sdp: offerSdp }, 'answer')).sdp);
  await Promise.all([visitor.connected, agent.connected, ready]);
  return { visitor, agent, relay: new MediaRelay(visitor, agent) };
}

// The child: per call a visitor and an agent, each sending the hold audio's Opus packets at 50 pps.
if (process.env[ROLE_ENV] === 'endpoints') {
  const hold = await loadHoldAudio();
  await runEndpoints({ packetsPerSecond: 1000 / PACKET_MS, burst: 1, payload: (seq) => hold[seq % hold.length]! });
}
