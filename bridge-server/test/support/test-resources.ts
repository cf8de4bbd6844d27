import type { SipWsClient } from './sip-ws-client.js';
import type { TestPeer } from './webrtc-peer.js';

/** The SIP clients and WebRTC peers a test opened, closed together after it. */
export class TestResources {
  readonly clients: SipWsClient[] = [];
  readonly peers: TestPeer[] = [];

  async release(): Promise<void> {
    for (const c of this.clients.splice(0)) c.close();
    await Promise.all(this.peers.splice(0).map((p) => p.close()));
  }
}
