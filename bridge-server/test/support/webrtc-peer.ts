import { RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket } from 'werift';
import { peerConfig } from '../../src/media/media-options.js';

/**
 * A real WebRTC endpoint for integration tests (werift on loopback): stands in for the visitor's or the
 * agent's browser so the bridge's anchored media is exercised for real.
 */
export class TestPeer {
  readonly pc: RTCPeerConnection;
  received = 0;
  #timer: NodeJS.Timeout | null = null;

  constructor() {
    this.pc = new RTCPeerConnection({
      ...peerConfig({ iceServers: [], publicAddress: '127.0.0.1' }),
      codecs: { audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111 })] },
    });
    const t = this.pc.addTransceiver('audio', { direction: 'sendrecv' });
    t.onTrack.subscribe((track) => track.onReceiveRtp.subscribe(() => void this.received++));
  }

  async offer(): Promise<string> {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    await this.#gathered();
    return this.pc.localDescription!.sdp;
  }

  async answer(offerSdp: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    await this.#gathered();
    return this.pc.localDescription!.sdp;
  }

  async accept(answerSdp: string): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
  }

  /** Send a 20 ms Opus frame every 20 ms: the given packets in a loop (real audio), else Opus silence. */
  talk(packets: readonly Buffer[] = [Buffer.from([0xf8, 0xff, 0xfe])]): void {
    const sender = this.pc.getTransceivers()[0]!.sender;
    let seq = 0;
    let ts = 0;
    this.#timer = setInterval(() => {
      const header = new RtpHeader({ payloadType: 111, sequenceNumber: seq & 0xffff, timestamp: (ts += 960) >>> 0 });
      sender.sendRtp(new RtpPacket(header, packets[seq++ % packets.length]!));
    }, 20);
  }

  async #gathered(): Promise<void> {
    if (this.pc.iceGatheringState === 'complete') return;
    await new Promise<void>((resolve) => {
      const sub = this.pc.iceGatheringStateChange.subscribe((s) => {
        if (s === 'complete') {
          sub.unSubscribe();
          resolve();
        }
      });
    });
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.pc.close();
  }
}
