import { RTCRtpCodecParameters, useH264, useVP8, useVP9, type RTCPeerConnectionConfig } from 'werift';

/** How the bridge's WebRTC legs reach the network. Built once from config and shared by every leg. */
export interface MediaOptions {
  /**
   * STUN/TURN servers. An empty list is valid and is what a bridge with a public (or 1:1 NAT) address wants:
   * no server-reflexive gathering, so answering takes milliseconds.
   */
  iceServers: { urls: string | string[]; username?: string; credential?: string }[];
  /**
   * The IP the bridge advertises as its only host candidate: an address of this host, or the public side of
   * a 1:1 NAT (sockets bind the wildcard address, so packets sent to the NAT's public address still arrive).
   * Unset: every non-loopback IPv4 interface address is advertised.
   */
  publicAddress?: string;
  /** UDP port range for ICE sockets, inclusive, `min < max`. Unset: ephemeral ports. */
  portRange?: [number, number];
  /** How long a leg may take to connect (ICE + DTLS) before it fails. Default 20 s. */
  connectTimeoutMs?: number;
}

/**
 * The payload types a {@link MediaLeg} hands to `onRtp` handlers and expects in `sendRtp`, whatever each
 * remote negotiated: legs translate at their edges, so packets move between legs without a lookup in
 * between. The numbers are Chromium's, so with JsSIP in Chromium both translations are the identity.
 */
export const CANONICAL_PT = {
  /** Opus 48 kHz (RFC 7587). */
  opus: 111,
  /** DTMF events (RFC 4733) on the Opus clock, which Chromium offers alongside Opus. */
  telephoneEvent48k: 110,
  /** DTMF events (RFC 4733) at 8 kHz. */
  telephoneEvent8k: 126,
} as const;

/**
 * werift's configuration for one leg. werift's defaults are wrong for a server: it adds
 * `stun:stun.l.google.com:19302` when no servers are given (gathering then stalls ~5 s offline), gathers IPv6
 * and skips loopback. We pass every ICE server explicitly, gather IPv4 only and, when `publicAddress` is set,
 * turn interface enumeration off and add that address as the one host address (`iceAdditionalHostAddresses`
 * bypasses werift's loopback filter, which is also what lets tests run on 127.0.0.1).
 */
export function peerConfig(opts: MediaOptions): RTCPeerConnectionConfig {
  const advertiseOnly = opts.publicAddress !== undefined && opts.publicAddress !== '';
  return {
    iceServers: opts.iceServers.map((s) => ({ ...s })),
    iceTransportPolicy: 'all',
    iceUseIpv4: !advertiseOnly,
    iceUseIpv6: false,
    iceAdditionalHostAddresses: advertiseOnly ? [opts.publicAddress!] : undefined,
    icePortRange: opts.portRange,
    codecs: {
      // Fresh objects per leg: werift writes into its codec parameters. Note that werift matches an offer's
      // codecs by MIME type only, so both telephone-event rates of a Chromium offer are accepted.
      audio: [
        new RTCRtpCodecParameters({
          mimeType: 'audio/opus',
          clockRate: 48000,
          channels: 2, // RFC 7587 §7: the rtpmap always says 2
          payloadType: CANONICAL_PT.opus,
          parameters: 'minptime=10;useinbandfec=1',
        }),
        new RTCRtpCodecParameters({
          mimeType: 'audio/telephone-event',
          clockRate: 48000,
          channels: 1,
          payloadType: CANONICAL_PT.telephoneEvent48k,
        }),
        new RTCRtpCodecParameters({
          mimeType: 'audio/telephone-event',
          clockRate: 8000,
          channels: 1,
          payloadType: CANONICAL_PT.telephoneEvent8k,
        }),
      ],
      // Only so that werift can parse a video m-line in a visitor's offer (it fails the whole offer when no
      // codec matches); the leg answers video inactive and never sends or receives it.
      video: [useVP8(), useVP9(), useH264()],
    },
    headerExtensions: { audio: [], video: [] },
  };
}

/** The canonical payload type for a negotiated codec, or -1 when the bridge does not carry it. */
export function canonicalPayloadType(mimeType: string, clockRate: number): number {
  const mime = mimeType.toLowerCase();
  if (mime === 'audio/opus') return CANONICAL_PT.opus;
  if (mime === 'audio/telephone-event') {
    if (clockRate === 48000) return CANONICAL_PT.telephoneEvent48k;
    if (clockRate === 8000) return CANONICAL_PT.telephoneEvent8k;
  }
  return -1;
}
