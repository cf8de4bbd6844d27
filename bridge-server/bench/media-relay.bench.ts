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
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RTCPeerConnection, RtpHeader, RtpPacket, type RTCRtpTransceiver } from 'werift';
import { MediaLeg } from '../src/media/media-leg.js';
import { peerConfig, type MediaOptions } from '../src/media/media-options.js';
import { MediaRelay } from '../src/media/media-relay.js';

const ROLE_ENV = 'SAMBUNG_BENCH_MEDIA_RELAY_ROLE';
const PACKETS_PER_SECOND = 1000;
const BURST = 10;
const WARMUP_MS = 500;
const ROUND_MS = 1500;
const opts: MediaOptions = { iceServers: [], publicAddress: '127.0.0.1' };

type ToChild =
  | { type: 'offer' }
  | { type: 'answer'; sdp: string }
  | { type: 'offer-from-bridge'; sdp: string }
  | { type: 'send'; ms: number }
  | { type: 'close' };
type ToParent =
  | { type: 'offer'; sdp: string }
  | { type: 'answer'; sdp: string }
  | { type: 'ready' }
  | { type: 'sent' }
  | { type: 'closed' };

interface Bridge {
  relayed(): number;
  close(): Promise<void>;
}

export default async function (): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, [ROLE_ENV]: 'endpoints' },
    execArgv: process.execArgv.some((a) => a.includes('tsx')) ? process.execArgv : ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
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

function connected(pc: RTCPeerConnection): Promise<void> {
  return new Promise((resolve) => {
    if (pc.connectionState === 'connected') return resolve();
    pc.connectionStateChange.subscribe((s) => s === 'connected' && resolve());
  });
}

/** Traffic both ways for `ms`; resolves once the child has stopped sending and the last packets are through. */
function send(child: ChildProcess, ms: number): Promise<unknown> {
  return request(child, { type: 'send', ms }, 'sent');
}

function request<T extends ToParent['type']>(child: ChildProcess, msg: ToChild, reply: T): Promise<Extract<ToParent, { type: T }>> {
  const answer = waitFor(child, reply);
  child.send(msg);
  return answer;
}

function waitFor<T extends ToParent['type']>(child: ChildProcess, type: T): Promise<Extract<ToParent, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: ToParent) => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m as Extract<ToParent, { type: T }>);
    };
    const onExit = () => reject(new Error(`bench endpoints exited while waiting for ${type}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** The child: a visitor endpoint that offers and an agent endpoint that answers, both sending Opus-sized RTP. */
async function runEndpoints(): Promise<void> {
  const config = { iceServers: [], iceUseIpv4: false, iceUseIpv6: false, iceAdditionalHostAddresses: ['127.0.0.1'] };
  let visitor: { pc: RTCPeerConnection; t: RTCRtpTransceiver } | undefined;
  let agent: { pc: RTCPeerConnection; t: RTCRtpTransceiver } | undefined;
  const reply = (m: ToParent) => process.send!(m);
  const payload = Buffer.alloc(80, 0x5a);
  let seq = 0;
  process.on('message', async (m: ToChild) => {
    switch (m.type) {
      case 'offer': {
        const pc = new RTCPeerConnection(config);
        visitor = { pc, t: pc.addTransceiver('audio', { direction: 'sendrecv' }) };
        await pc.setLocalDescription(await pc.createOffer());
        return reply({ type: 'offer', sdp: pc.localDescription!.sdp });
      }
      case 'answer':
        return visitor!.pc.setRemoteDescription({ type: 'answer', sdp: m.sdp });
      case 'offer-from-bridge': {
        const pc = new RTCPeerConnection(config);
        agent = { pc, t: pc.addTransceiver('audio', { direction: 'sendrecv' }) };
        await pc.setRemoteDescription({ type: 'offer', sdp: m.sdp });
        await pc.setLocalDescription(await pc.createAnswer());
        reply({ type: 'answer', sdp: pc.localDescription!.sdp });
        await Promise.all([connected(visitor!.pc), connected(pc)]);
        return reply({ type: 'ready' });
      }
      case 'send': {
        const start = performance.now();
        for (let n = 0; performance.now() - start < m.ms; n += BURST) {
          for (let i = 0; i < BURST; i++, seq++) {
            for (const end of [visitor!, agent!]) {
              const header = new RtpHeader({ payloadType: 111, sequenceNumber: seq & 0xffff, timestamp: (seq * 960) >>> 0 });
              void end.t.sender.sendRtp(new RtpPacket(header, payload));
            }
          }
          const due = start + ((n + BURST) * 1000) / PACKETS_PER_SECOND;
          await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
        }
        await new Promise((r) => setTimeout(r, 100)); // let the last packets through the bridge
        return reply({ type: 'sent' });
      }
      case 'close':
        await Promise.all([visitor?.pc.close(), agent?.pc.close()]);
        return reply({ type: 'closed' });
    }
  });
}

if (process.env[ROLE_ENV] === 'endpoints') await runEndpoints();
