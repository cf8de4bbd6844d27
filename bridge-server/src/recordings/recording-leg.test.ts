import { afterEach, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket, type RTCRtpTransceiver } from 'werift';
import { systemClock } from '../clock.js';
import { MediaLeg } from '../media/media-leg.js';
import type { MediaOptions } from '../media/media-options.js';
import { MediaRelay } from '../media/media-relay.js';
import { readRecording } from './recording-reader.js';
import { RecordingWriter } from './recording-writer.js';
import { holdPackets, rms, SILENT_PACKET, TEST_KEY, tempDirs } from './test-fixtures.js';
import { renderRecordingWav } from './wav-render.js';

const opts: MediaOptions = { iceServers: [], publicAddress: '127.0.0.1' };
const dirs = tempDirs();
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
  await dirs.cleanup();
});

/** A werift peer standing in for a browser (loopback, Opus 111). */
function browserPeer(): { pc: RTCPeerConnection; send(payloads: readonly Buffer[]): Promise<void> } {
  const pc = new RTCPeerConnection({
    iceServers: [],
    iceUseIpv4: false,
    iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
    codecs: { audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111 })] },
  });
  const t: RTCRtpTransceiver = pc.addTransceiver('audio', { direction: 'sendrecv' });
  cleanup.push(() => pc.close());
  let seq = 0;
  return {
    pc,
    async send(payloads) {
      for (const payload of payloads) {
        seq++;
        void t.sender.sendRtp(new RtpPacket(new RtpHeader({ payloadType: 111, sequenceNumber: seq, timestamp: seq * 960 }), payload));
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

describe('recording a relayed call from real media legs', () => {
  it('records the visitor on the left and the agent on the right of the rendered WAV', async () => {
    const visitor = browserPeer();
    await visitor.pc.setLocalDescription(await visitor.pc.createOffer());
    const { leg: visitorLeg, answerSdp } = await MediaLeg.answer(visitor.pc.localDescription!.sdp, opts);
    cleanup.push(() => visitorLeg.close());
    await visitor.pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });

    const agent = browserPeer();
    const { leg: agentLeg, offerSdp } = await MediaLeg.offer(opts);
    cleanup.push(() => agentLeg.close());
    await agent.pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    await agent.pc.setLocalDescription(await agent.pc.createAnswer());
    await agentLeg.acceptAnswer(agent.pc.localDescription!.sdp);
    await Promise.all([visitorLeg.connected, agentLeg.connected]);
    const relay = new MediaRelay(visitorLeg, agentLeg);
    cleanup.push(() => relay.close());

    const dir = await dirs.make();
    const writer = await RecordingWriter.open({ dir, recordingId: 'call-live', key: TEST_KEY, clock: systemClock });
    cleanup.push(() => writer.close());
    writer.attachToLeg(visitorLeg, 1);
    writer.attachToLeg(agentLeg, 2);
    const hold = await holdPackets();
    await Promise.all([visitor.send(hold.slice(0, 50)), agent.send(Array.from({ length: 50 }, () => SILENT_PACKET))]);
    await new Promise((r) => setTimeout(r, 100)); // the last packets in flight
    await writer.close();

    const read = await readRecording(writer.path, TEST_KEY);
    expect(read.intact).toBe(true);
    const callerFrames = read.frames.filter((f) => f.channel === 1);
    expect(callerFrames.length).toBeGreaterThanOrEqual(45); // loopback UDP: nearly all arrive
    callerFrames.forEach((f) => expect(hold.slice(0, 50).some((p) => p.equals(f.payload))).toBe(true));

    const out = join(dir, 'call-live.wav');
    await renderRecordingWav({ source: writer.path, key: TEST_KEY, outPath: out });
    const pcm = (await readFile(out)).subarray(44);
    expect(rms(pcm, 0, 2)).toBeGreaterThan(0.03);
    expect(rms(pcm, 1, 2)).toBeLessThan(0.001);
  });
});
