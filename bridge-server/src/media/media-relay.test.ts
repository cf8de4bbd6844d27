import { afterEach, describe, expect, it } from 'vitest';
import { RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket } from 'werift';
import { HoldPlayer, loadHoldAudio } from './hold-player.js';
import { MediaLeg } from './media-leg.js';
import type { MediaOptions } from './media-options.js';
import { MediaRelay } from './media-relay.js';
import { opusPacketSamples } from './ogg-opus.js';

const opts: MediaOptions = { iceServers: [], publicAddress: '127.0.0.1' };

interface Received {
  seq: number;
  ts: number;
  marker: boolean;
  payload: Buffer;
}

/** A werift peer standing in for JsSIP in Chromium (loopback, no STUN, Opus 111). */
function browserPeer() {
  const pc = new RTCPeerConnection({
    iceServers: [],
    iceUseIpv4: false,
    iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
    codecs: { audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111 })] },
  });
  const transceiver = pc.addTransceiver('audio', { direction: 'sendrecv' });
  const received: Received[] = [];
  pc.onTrack.subscribe((track) =>
    track.onReceiveRtp.subscribe((p) =>
      received.push({ seq: p.header.sequenceNumber, ts: p.header.timestamp, marker: p.header.marker, payload: p.payload }),
    ),
  );
  let seq = 0;
  return {
    pc,
    received,
    /** Send `count` packets with payloads `tag, i` 20 ms apart. */
    async talk(tag: number, count: number): Promise<void> {
      for (let i = 0; i < count; i++) {
        seq++;
        const header = new RtpHeader({ payloadType: 111, sequenceNumber: seq, timestamp: seq * 960 });
        void transceiver.sender.sendRtp(new RtpPacket(header, Buffer.from([0xfc, tag, i])));
        await sleep(20);
      }
    },
    async offer(): Promise<string> {
      await pc.setLocalDescription(await pc.createOffer());
      return pc.localDescription!.sdp;
    },
    async answer(offerSdp: string): Promise<string> {
      await pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
      await pc.setLocalDescription(await pc.createAnswer());
      return pc.localDescription!.sdp;
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

const resources = (kind: string) => process.getActiveResourcesInfo().filter((r) => r === kind).length;
const tagged = (received: Received[], tag: number) => received.filter((r) => r.payload[0] === 0xfc && r.payload[1] === tag);

function expectContinuous(received: Received[]): void {
  for (let i = 1; i < received.length; i++) {
    expect((received[i]!.seq - received[i - 1]!.seq) & 0xffff, `sequence step at packet ${i}`).toBe(1);
    const step = (received[i]!.ts - received[i - 1]!.ts) >>> 0;
    expect(step, `timestamp step at packet ${i}`).toBeGreaterThan(0);
    expect(step, `timestamp step at packet ${i}`).toBeLessThan(0x80000000);
  }
}

/** Closes whatever a failed test left open, so one failure does not leak into the next. */
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

describe('MediaRelay with real werift peers over loopback', () => {
  it('plays hold audio to the visitor, then relays both ways as one continuous stream through hold and resume, and closes cleanly', async () => {
    const udpBefore = resources('UDPWrap');
    const timersBefore = resources('Timeout');
    const audio = await loadHoldAudio();

    // Visitor leg: the browser offers, the bridge answers and plays hold audio.
    const visitor = browserPeer();
    cleanup.push(() => visitor.pc.close());
    const { leg: visitorLeg, answerSdp } = await MediaLeg.answer(await visitor.offer(), opts);
    cleanup.push(() => visitorLeg.close());
    await visitor.pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
    await visitorLeg.connected;
    await waitFor(() => visitor.pc.connectionState === 'connected', 'the visitor to connect');
    const hold = new HoldPlayer(audio, visitorLeg);
    cleanup.push(() => hold.stop());
    hold.start();
    await waitFor(() => visitor.received.length >= 10, 'hold audio at the visitor');
    expect(visitor.received[0]!.marker).toBe(true);
    // The hold packets arrive intact and in order: valid 20 ms Opus, the asset's packets from the top.
    visitor.received.slice(0, 10).forEach((r, i) => {
      expect(opusPacketSamples(r.payload)).toBe(960);
      expect(r.payload.equals(audio[i]!)).toBe(true);
    });

    // Agent leg: the bridge offers, the softphone answers.
    const agent = browserPeer();
    cleanup.push(() => agent.pc.close());
    const { leg: agentLeg, offerSdp } = await MediaLeg.offer(opts);
    cleanup.push(() => agentLeg.close());
    await agentLeg.acceptAnswer(await agent.answer(offerSdp));
    await agentLeg.connected;
    await waitFor(() => agent.pc.connectionState === 'connected', 'the agent to connect');

    // The agent answers: hold audio stops, media is relayed both ways.
    hold.stop();
    const holdCount = visitorLeg.stats.packetsOut;
    await waitFor(() => visitor.received.length === holdCount, 'the last hold packets');
    const relay = new MediaRelay(visitorLeg, agentLeg);
    cleanup.push(() => relay.close());
    await Promise.all([agent.talk(1, 10), visitor.talk(2, 10)]);
    await waitFor(() => tagged(visitor.received, 1).length === 10 && tagged(agent.received, 2).length === 10, 'relayed RTP');
    expect(visitor.received.slice(holdCount).every((r) => r.payload[1] === 1)).toBe(true);
    expect(visitor.received[holdCount]!.marker).toBe(true);
    expect(tagged(agent.received, 2).map((r) => r.payload[2])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    // Agent hold: nothing relayed, the visitor hears hold audio again; then back.
    relay.pause();
    hold.start();
    const beforeHold = visitor.received.length;
    await Promise.all([agent.talk(3, 5), visitor.talk(4, 5)]);
    await waitFor(() => visitor.received.length >= beforeHold + 5, 'hold audio again');
    hold.stop();
    relay.resume();
    await agent.talk(5, 5);
    await waitFor(() => tagged(visitor.received, 5).length === 5, 'relayed RTP after resume');
    expect(tagged(visitor.received, 3)).toHaveLength(0);
    expect(tagged(agent.received, 4)).toHaveLength(0);

    // One stream at the visitor from the first hold packet to the last relayed one.
    expectContinuous(visitor.received);
    expectContinuous(agent.received);
    expect(relay.stats).toEqual({ aToB: { packets: 10, bytes: 30 }, bToA: { packets: 15, bytes: 45 } });
    expect(visitorLeg.stats.packetsOut).toBe(visitor.received.length);

    // Closing: the relay stops, the legs close their peer connections, nothing is left running.
    relay.close();
    await Promise.all([visitorLeg.close(), agentLeg.close()]);
    expect(visitorLeg.closed && agentLeg.closed).toBe(true);
    await Promise.all([visitor.pc.close(), agent.pc.close()]);
    await waitFor(() => resources('UDPWrap') <= udpBefore, 'UDP sockets to close');
    await waitFor(() => resources('Timeout') <= timersBefore, 'timers to stop');
  });
});
