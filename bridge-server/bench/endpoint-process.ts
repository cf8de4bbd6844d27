/**
 * The werift endpoints a media benchmark talks to, in a child process of its own so that the parent's
 * `process.cpuUsage()` counts only the bridge side: per call a "visitor" that offers and an "agent" that
 * answers the bridge's offer, every party sending RTP at a fixed rate. The parent drives the child over IPC:
 * `offer` → `answer` (the bridge's answer to the visitor) → `offer-from-bridge` (answered, then `ready` once
 * both are connected) …, `send` for a while, `close` (every party).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { RTCPeerConnection, RtpHeader, RtpPacket, type RTCRtpTransceiver } from 'werift';

export type ToChild = { type: 'offer' } | { type: 'answer'; sdp: string } | { type: 'offer-from-bridge'; sdp: string } | { type: 'send'; ms: number } | { type: 'close' };
export type ToParent = { type: 'offer'; sdp: string } | { type: 'answer'; sdp: string } | { type: 'ready' } | { type: 'sent' } | { type: 'closed' };

/** Re-runs the benchmark file `benchFile` as the endpoints child (`roleEnv=endpoints`). */
export function forkEndpoints(benchFile: string, roleEnv: string): ChildProcess {
  return fork(benchFile, [], {
    env: { ...process.env, [roleEnv]: 'endpoints' },
    execArgv: process.execArgv.some((a) => a.includes('tsx')) ? process.execArgv : ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Traffic both ways for `ms`; resolves once the child has stopped sending and the last packets are through. */
export function send(child: ChildProcess, ms: number): Promise<unknown> {
  return request(child, { type: 'send', ms }, 'sent');
}

export function request<T extends ToParent['type']>(child: ChildProcess, msg: ToChild, reply: T): Promise<Extract<ToParent, { type: T }>> {
  const answer = waitFor(child, reply);
  child.send(msg);
  return answer;
}

export function waitFor<T extends ToParent['type']>(child: ChildProcess, type: T): Promise<Extract<ToParent, { type: T }>> {
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

export function connected(pc: RTCPeerConnection): Promise<void> {
  return new Promise((resolve) => {
    if (pc.connectionState === 'connected') return resolve();
    pc.connectionStateChange.subscribe((s) => s === 'connected' && resolve());
  });
}

export interface EndpointTraffic {
  /** Packets per second each party sends. */
  readonly packetsPerSecond: number;
  /** Packets sent back to back before pacing (1 = evenly spaced). */
  readonly burst: number;
  /** The payload of packet number `seq`. */
  payload(seq: number): Buffer;
}

/** The child's side: answers the parent's messages until killed. */
export async function runEndpoints(traffic: EndpointTraffic): Promise<void> {
  const config = { iceServers: [], iceUseIpv4: false, iceUseIpv6: false, iceAdditionalHostAddresses: ['127.0.0.1'] };
  const parties: { pc: RTCPeerConnection; t: RTCRtpTransceiver }[] = [];
  let pendingVisitor: { pc: RTCPeerConnection; t: RTCRtpTransceiver } | undefined;
  const reply = (m: ToParent) => process.send!(m);
  let seq = 0;
  process.on('message', async (m: ToChild) => {
    switch (m.type) {
      case 'offer': {
        const pc = new RTCPeerConnection(config);
        pendingVisitor = { pc, t: pc.addTransceiver('audio', { direction: 'sendrecv' }) };
        await pc.setLocalDescription(await pc.createOffer());
        return reply({ type: 'offer', sdp: pc.localDescription!.sdp });
      }
      case 'answer':
        return pendingVisitor!.pc.setRemoteDescription({ type: 'answer', sdp: m.sdp });
      case 'offer-from-bridge': {
        const pc = new RTCPeerConnection(config);
        const agent = { pc, t: pc.addTransceiver('audio', { direction: 'sendrecv' }) };
        await pc.setRemoteDescription({ type: 'offer', sdp: m.sdp });
        await pc.setLocalDescription(await pc.createAnswer());
        reply({ type: 'answer', sdp: pc.localDescription!.sdp });
        await Promise.all([connected(pendingVisitor!.pc), connected(pc)]);
        parties.push(pendingVisitor!, agent);
        return reply({ type: 'ready' });
      }
      case 'send': {
        const start = performance.now();
        for (let n = 0; performance.now() - start < m.ms; n += traffic.burst) {
          for (let i = 0; i < traffic.burst; i++, seq++) {
            const payload = traffic.payload(seq);
            for (const party of parties) {
              const header = new RtpHeader({ payloadType: 111, sequenceNumber: seq & 0xffff, timestamp: (seq * 960) >>> 0 });
              void party.t.sender.sendRtp(new RtpPacket(header, payload));
            }
          }
          const due = start + ((n + traffic.burst) * 1000) / traffic.packetsPerSecond;
          await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
        }
        await new Promise((r) => setTimeout(r, 100)); // let the last packets through the bridge
        return reply({ type: 'sent' });
      }
      case 'close':
        await Promise.all(parties.splice(0).map((p) => p.pc.close()));
        return reply({ type: 'closed' });
    }
  });
}
