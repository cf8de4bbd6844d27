import { afterEach, describe, expect, it } from 'vitest';
import { RTCPeerConnection, RTCRtpCodecParameters, RtcpSrPacket, RtpHeader, RtpPacket, useVP8, type RtcpPacket } from 'werift';
import { ClosedError, MediaError } from '../errors.js';
import { MediaLeg } from './media-leg.js';
import type { MediaOptions } from './media-options.js';

const opts: MediaOptions = { iceServers: [], publicAddress: '127.0.0.1' };

/**
 * A werift peer standing in for JsSIP in Chromium: loopback only, no STUN, Opus at `opusPt` and
 * telephone-event/8000. Records what it receives (copied, since werift reuses nothing but we want values).
 */
function browserPeer(opusPt = 111) {
  const pc = new RTCPeerConnection({
    iceServers: [],
    iceUseIpv4: false,
    iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
    codecs: {
      audio: [
        new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: opusPt }),
        new RTCRtpCodecParameters({ mimeType: 'audio/telephone-event', clockRate: 8000, channels: 1, payloadType: 101 }),
      ],
      video: [useVP8()],
    },
  });
  const transceiver = pc.addTransceiver('audio', { direction: 'sendrecv' });
  const received: { pt: number; seq: number; ts: number; payload: string }[] = [];
  const rtcp: RtcpPacket[] = [];
  pc.onTrack.subscribe((track) =>
    track.onReceiveRtp.subscribe((p) =>
      received.push({ pt: p.header.payloadType, seq: p.header.sequenceNumber, ts: p.header.timestamp, payload: p.payload.toString('hex') }),
    ),
  );
  let seq = 1000;
  pc.connectionStateChange.subscribe((s) => {
    if (s === 'connected') transceiver.dtlsTransport.onRtcp.subscribe((p) => rtcp.push(p));
  });
  return {
    pc,
    ssrc: transceiver.sender.ssrc,
    received,
    rtcp,
    send(payload: Buffer): void {
      seq++;
      void transceiver.sender.sendRtp(new RtpPacket(new RtpHeader({ payloadType: opusPt, sequenceNumber: seq, timestamp: seq * 960 }), payload));
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

async function waitFor(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const udpSockets = () => process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap').length;

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

describe('MediaLeg', () => {
  it('answers a browser offer with one host candidate on the public address and relays RTP both ways once connected', async () => {
    const browser = browserPeer(109);
    cleanup.push(() => browser.pc.close());
    const { leg, answerSdp } = await MediaLeg.answer(await browser.offer(), opts);
    cleanup.push(() => leg.close());

    const candidates = answerSdp.split(/\r?\n/).filter((l) => l.startsWith('a=candidate:'));
    expect(candidates).toHaveLength(1);
    expect(candidates[0]).toMatch(/ udp \d+ 127\.0\.0\.1 \d+ typ host/);
    expect(answerSdp).toMatch(/^a=rtpmap:109 opus\/48000\/2/m);
    expect(answerSdp).toMatch(/^a=msid:\S+ \S+/m);

    let connectedEvents = 0;
    leg.on('connected', () => connectedEvents++);
    await browser.pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
    await leg.connected;

    const inbound: { pt: number; payload: string }[] = [];
    leg.onRtp((p) => inbound.push({ pt: p.header.payloadType, payload: p.payload.toString('hex') }));
    browser.send(Buffer.from([0xfc, 0x01]));
    await waitFor(() => inbound.length > 0, 'inbound RTP');
    // The browser's payload type 109 arrives as the canonical 111.
    expect(inbound[0]).toEqual({ pt: 111, payload: 'fc01' });

    const out = new RtpPacket(new RtpHeader({ payloadType: 111, ssrc: 5, sequenceNumber: 7, timestamp: 9 }), Buffer.from([0xfc, 0x02]));
    leg.sendRtp(out);
    await waitFor(() => browser.received.length > 0, 'outbound RTP');
    expect(browser.received[0]).toMatchObject({ pt: 109, payload: 'fc02' });
    // sendRtp leaves the caller's packet as it was.
    expect(out.header).toMatchObject({ ssrc: 5, sequenceNumber: 7, timestamp: 9, payloadType: 111 });
    expect(leg.stats).toEqual({ packetsIn: 1, packetsOut: 1, bytesIn: 2, bytesOut: 2 });
    expect(connectedEvents).toBe(1);
  });

  it('reports in RTCP what it sent and what it received: an SR with a reception report block', async () => {
    const browser = browserPeer();
    cleanup.push(() => browser.pc.close());
    const { leg, answerSdp } = await MediaLeg.answer(await browser.offer(), opts);
    cleanup.push(() => leg.close());
    await browser.pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
    await leg.connected;
    await waitFor(() => browser.pc.connectionState === 'connected', 'the browser to connect');
    for (let i = 0; i < 5; i++) {
      browser.send(Buffer.from([0xfc, i]));
      leg.sendRtp(new RtpPacket(new RtpHeader({ payloadType: 111, ssrc: 3, sequenceNumber: i, timestamp: i * 960 }), Buffer.from([0xfc, 0, i])));
    }
    const isOurReport = (p: RtcpPacket): p is RtcpSrPacket =>
      p instanceof RtcpSrPacket && p.senderInfo.packetCount === 5 && p.reports.some((r) => r.ssrc === browser.ssrc);
    await waitFor(() => browser.rtcp.some(isOurReport), 'an SR from the leg', 5000);
    const sr = browser.rtcp.find(isOurReport)!;
    expect(sr.senderInfo.octetCount).toBe(15);
    // The browser sent sequence numbers 1001…1005, all received.
    expect(sr.reports[0]).toMatchObject({ ssrc: browser.ssrc, packetsLost: 0, highestSequence: 1005 });
  });

  it('offers, accepts the answer and connects to an answering browser', async () => {
    const browser = browserPeer();
    cleanup.push(() => browser.pc.close());
    const { leg, offerSdp } = await MediaLeg.offer(opts);
    cleanup.push(() => leg.close());
    expect(offerSdp).toMatch(/^a=rtpmap:111 opus\/48000\/2/m);
    expect(offerSdp).toMatch(/^a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 \d+ typ host/m);
    await leg.acceptAnswer(await browser.answer(offerSdp));
    await leg.connected;
    leg.sendRtp(new RtpPacket(new RtpHeader({ payloadType: 111, ssrc: 1 }), Buffer.from([0xfc])));
    await waitFor(() => browser.received.length > 0, 'RTP at the agent');
    await expect(leg.acceptAnswer('v=0')).rejects.toBeInstanceOf(MediaError);
  });

  it('answers a video offer with audio only: video inactive and out of the BUNDLE group', async () => {
    const browser = browserPeer();
    cleanup.push(() => browser.pc.close());
    browser.pc.addTransceiver('video', { direction: 'sendrecv' });
    const { leg, answerSdp } = await MediaLeg.answer(await browser.offer(), opts);
    cleanup.push(() => leg.close());
    expect(answerSdp).toMatch(/^m=video 0 /m);
    expect(answerSdp).toMatch(/^a=group:BUNDLE 0\r?$/m);
    await browser.pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
    await leg.connected;
    leg.sendRtp(new RtpPacket(new RtpHeader({ payloadType: 111, ssrc: 1 }), Buffer.from([0xfc])));
    await waitFor(() => browser.received.length > 0, 'audio at the browser');
  });

  it('rejects a garbage offer with a MediaError and keeps no socket open', async () => {
    const before = udpSockets();
    await expect(MediaLeg.answer('this is not SDP', opts)).rejects.toBeInstanceOf(MediaError);
    await expect(MediaLeg.answer('', opts)).rejects.toThrow(MediaError);
    await waitFor(() => udpSockets() <= before, 'sockets to close');
  });

  it('rejects an offer without Opus', async () => {
    const pc = new RTCPeerConnection({
      iceServers: [],
      iceUseIpv4: false,
      iceUseIpv6: false,
      iceAdditionalHostAddresses: ['127.0.0.1'],
      codecs: { audio: [new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: 0 })] },
    });
    cleanup.push(() => pc.close());
    pc.addTransceiver('audio', { direction: 'sendrecv' });
    await pc.setLocalDescription(await pc.createOffer());
    await expect(MediaLeg.answer(pc.localDescription!.sdp, opts)).rejects.toBeInstanceOf(MediaError);
  });

  it('rejects a garbage answer with a MediaError', async () => {
    const { leg } = await MediaLeg.offer(opts);
    cleanup.push(() => leg.close());
    await expect(leg.acceptAnswer('nonsense')).rejects.toBeInstanceOf(MediaError);
  });

  it('closes idempotently: the peer connection closes, connected rejects, closed is emitted once, sockets are released', async () => {
    const before = udpSockets();
    const browser = browserPeer();
    const { leg, answerSdp } = await MediaLeg.answer(await browser.offer(), opts);
    await browser.pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
    await leg.connected;
    let closedEvents = 0;
    leg.on('closed', () => closedEvents++);
    await Promise.all([leg.close(), leg.close()]);
    await leg.close();
    expect(leg.closed).toBe(true);
    expect(closedEvents).toBe(1);
    await browser.pc.close();
    await waitFor(() => udpSockets() <= before, 'sockets to close');

    const { leg: early } = await MediaLeg.offer(opts);
    const closing = early.close();
    await expect(early.connected).rejects.toBeInstanceOf(ClosedError);
    await expect(early.acceptAnswer('v=0')).rejects.toBeInstanceOf(ClosedError);
    await closing;
  });
});
