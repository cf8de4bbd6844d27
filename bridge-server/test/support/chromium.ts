import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * Debian's Chromium through playwright-core (never a downloaded browser), with fake camera/microphone and
 * no background networking (this machine's network is closed). playwright-core gives each launch a fresh
 * temporary profile (it refuses an explicit `--user-data-dir` with `launch()`), and each context is isolated.
 */
export async function launchChromium(): Promise<{ browser: Browser; newContext(): Promise<BrowserContext>; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  return {
    browser,
    newContext: () => browser.newContext({ permissions: ['microphone'] }),
    async close() {
      await browser.close();
    },
  };
}

/** Installed before any page script: remembers every RTCPeerConnection so tests can read getStats(). */
export const recordPeerConnections = () => {
  const w = window as unknown as { __pcs: RTCPeerConnection[]; RTCPeerConnection: typeof RTCPeerConnection };
  w.__pcs = [];
  const Native = w.RTCPeerConnection;
  w.RTCPeerConnection = class extends Native {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      super(...args);
      w.__pcs.push(this);
    }
  } as typeof RTCPeerConnection;
};

/** Inbound audio bytes over every recorded peer connection of the page. */
export const inboundAudioBytes = async (): Promise<number> => {
  const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
  let bytes = 0;
  for (const pc of pcs) {
    const stats = await pc.getStats();
    stats.forEach((s: { type: string; kind?: string; bytesReceived?: number }) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') bytes += s.bytesReceived ?? 0;
    });
  }
  return bytes;
};
