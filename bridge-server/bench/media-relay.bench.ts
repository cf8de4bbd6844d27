/**
 * CPU cost of relaying one RTP packet through the bridge: our MediaLeg + MediaRelay against the naive werift
 * relay (`track.onReceiveRtp` → `sender.sendRtp`), both on legs with the same werift configuration, the same
 * loopback network and the same traffic, measured in the same run. ratio = ours / werift-plain (below 1 =
 * we are cheaper).
 *
 * Fairness: the two endpoints (the "visitor" and the "agent") run in a child process, so the parent's
 * `process.cpuUsage()` counts only the bridge side: SRTP decrypt, werift's receive path, the relay, SRTP
 * encrypt and the UDP send, plus the GC they cause. Both directions carry 1,000 packets/s (20 calls' worth of
 * 20 ms Opus) of 80-byte payloads; the variants alternate (plain, ours, plain, ours; 1.5 s each after a
 * 0.5 s warm-up) so JIT, load from other processes and CPU-frequency effects hit both alike. Absolute figures
 * move with machine load; the ratio is the stable part.
 *
 * Where the time goes (CPU profile of `ours`), largest first: werift's SRTP decrypt (a fresh decipher per
 * packet, AES-GCM being werift's preferred SRTP profile, plus a header parse by string-based bit reads), the UDP send (dgram resolves the address string on every send), SRTP encrypt (a
 * fresh cipher per packet) and werift's RtpPacket parse (the same header again). Our own code (payload-type
 * lookup, header rewrite, RTCP statistics, relay) is under 1% of the samples. What ours avoids, against the
 * plain relay, is werift's RTCRtpSender per packet (header-extension rebuilding, `ntpTime()` string
 * formatting, retransmission cache, bandwidth estimation) and its RTCRtpReceiver per packet (a packet clone,
 * statistics objects). The rest is inside werift and cannot be made cheaper without patching it. A cipher
 * object costs ~10 µs here, not the ~100 µs once assumed: it is werift's whole receive + send path that costs.
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RTCPeerConnection, type RTCRtpTransceiver } from 'werift';
import { connected, forkEndpoints, request, runEndpoints, send, waitFor, type ToChild } from './endpoint-process.js';
import { MediaLeg } from '../src/media/media-leg.js';
import { peerConfig, type MediaOptions } from '../src/media/media-options.js';
import { MediaRelay } from '../src/media/media-relay.js';

const ROLE_ENV = 'SAMBUNG_BENCH_MEDIA_RELAY_ROLE';
const PACKETS_PER_SECOND = 1000;
const BURST = 10;
const WARMUP_MS = 500;
const ROUND_MS = 1500;
const opts: MediaOptions = { iceServers: [], publicAddress: '127.0.0.1' };


interface Bridge {
  relayed(): number;
  close(): Promise<void>;
}

export default async function (): Promise<void> {
  const child = forkEndpoints(fileURLToPath(import.meta.url), ROLE_ENV);
  try {
    const cost = { ours: { cpu: 0, packets: 0 }, plain: { cpu: 0, packets: 0 } };
    for (let round = 0; round < 2; round++) {
      for (const variant of ['plain', 'ours'] as const) {
        const bridge = await connect(child, variant);
        await send(child, WARMUP_MS);
        const before = bridge.relayed();
        const cpu = process.cpuUsage();
        await send(child, ROUND_MS);
        const used = process.cpuUsage(cpu);
        cost[variant].cpu += used.user + used.system;
        cost[variant].packets += bridge.relayed() - before;
        await bridge.close();
        await request(child, { type: 'close' }, 'closed');
      }
    }
    const ours = cost.ours.cpu / cost.ours.packets;
    const plain = cost.plain.cpu / cost.plain.packets;
    console.log(`bench media-relay: ours=${ours.toFixed(1)}us/pkt werift-plain=${plain.toFixed(1)}us/pkt ratio=${(ours / plain).toFixed(2)}`);
  } finally {
    child.kill();
  }
}

/** Negotiate both legs of one variant with the child's two endpoints; resolves when all four are connected. */
async function connect(child: ChildProcess, variant: 'ours' | 'plain'): Promise<Bridge> {
  const visitorOffer = (await request(child, { type: 'offer' }, 'offer')).sdp;
  if (variant === 'ours') {
    const { leg: a, answerSdp } = await MediaLeg.answer(visitorOffer, opts);
    const { leg: b, offerSdp } = await MediaLeg.offer(opts);
    child.send({ type: 'answer', sdp: answerSdp } satisfies ToChild);
    const ready = waitFor(child, 'ready');
    await b.acceptAnswer((await request(child, { type: 'offer-from-bridge', sdp: offerSdp }, 'answer')).sdp);
    await Promise.all([a.connected, b.connected, ready]);
    const relay = new MediaRelay(a, b);
    return {
      relayed: () => relay.stats.aToB.packets + relay.stats.bToA.packets,
      close: async () => {
        relay.close();
        await Promise.all([a.close(), b.close()]);
      },
    };
  }
  const a = new RTCPeerConnection(peerConfig(opts));
  const ta = a.addTransceiver('audio', { direction: 'sendrecv' });
  await a.setRemoteDescription({ type: 'offer', sdp: visitorOffer });
  await a.setLocalDescription(await a.createAnswer());
  const b = new RTCPeerConnection(peerConfig(opts));
  const tb = b.addTransceiver('audio', { direction: 'sendrecv' });
  await b.setLocalDescription(await b.createOffer());
  child.send({ type: 'answer', sdp: a.localDescription!.sdp } satisfies ToChild);
  const ready = waitFor(child, 'ready');
  const agentAnswer = await request(child, { type: 'offer-from-bridge', sdp: b.localDescription!.sdp }, 'answer');
  await b.setRemoteDescription({ type: 'answer', sdp: agentAnswer.sdp });
  await Promise.all([connected(a), connected(b), ready]);
  let relayed = 0;
  const pipe = (from: RTCRtpTransceiver, to: RTCRtpTransceiver) =>
    from.receiver.track.onReceiveRtp.subscribe((rtp) => {
      relayed++;
      void to.sender.sendRtp(rtp);
    });
  pipe(ta, tb);
  pipe(tb, ta);
  return { relayed: () => relayed, close: async () => void (await Promise.all([a.close(), b.close()])) };
}

// The child: a visitor and an agent sending 80-byte payloads, PACKETS_PER_SECOND each, in bursts of BURST.
if (process.env[ROLE_ENV] === 'endpoints') {
  const payload = Buffer.alloc(80, 0x5a);
  await runEndpoints({ packetsPerSecond: PACKETS_PER_SECOND, burst: BURST, payload: () => payload });
}
