import { randomUUID } from 'node:crypto';
import {
  MediaStream,
  RTCPeerConnection,
  RtcpSrPacket,
  type RTCDtlsTransport,
  type RTCRtpTransceiver,
  type RtcpPacket,
  type RtpPacket,
} from 'werift';
import { systemClock, type Clock, type TimerHandle } from '../clock.js';
import { ClosedError, MediaError } from '../errors.js';
import { TypedEmitter } from '../typed-emitter.js';
import { canonicalPayloadType, CANONICAL_PT, peerConfig, type MediaOptions } from './media-options.js';
import { RtcpReporter } from './rtcp-reporter.js';
import { RtpStreamRewriter } from './rtp-stream-rewriter.js';

export type { RtpPacket } from 'werift';

/** Counted by the leg itself (RTP only, payload bytes), not read from werift. */
export interface MediaLegStats {
  packetsIn: number;
  packetsOut: number;
  bytesIn: number;
  bytesOut: number;
}

export type MediaLegEvents = { connected: []; closed: []; failed: [Error] };

/** Where a packet source (hold audio, the other leg) writes; {@link MediaLeg} is the real one. */
export interface RtpSink {
  sendRtp(packet: RtpPacket): void;
  /** The next packet starts a new stream segment even if it comes from the same source as the last one. */
  markDiscontinuity(): void;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 20_000;

/**
 * One WebRTC audio leg anchored at the bridge: a werift RTCPeerConnection with one sendrecv audio
 * transceiver (ICE + DTLS-SRTP terminated here). Create it with {@link MediaLeg.answer} (visitor leg: the
 * browser offered) or {@link MediaLeg.offer} + {@link MediaLeg.acceptAnswer} (agent leg). JsSIP does not
 * trickle, so both wait for candidate gathering and put every candidate in the SDP.
 *
 * RTP path, kept off werift's per-packet RTCRtpSender/RTCRtpReceiver machinery (header-extension rebuilding,
 * NTP string formatting, retransmission cache and bandwidth estimation on send; a packet clone and statistics
 * objects on receive): inbound packets are taken from the DTLS transport (so they arrive whether or not the
 * remote signalled its SSRC) with their payload type translated to {@link CANONICAL_PT}; outbound packets
 * get this leg's SSRC, payload type and a sequence/timestamp mapping that stays continuous when the source
 * changes (hold audio → the other leg), then go straight to SRTP. RTCP reports are the leg's own
 * ({@link RtcpReporter}), since werift's sender and receiver no longer see the packets.
 */
export class MediaLeg extends TypedEmitter<MediaLegEvents> implements RtpSink {
  /** Resolves once ICE and DTLS are up; rejects with a MediaError on failure or ClosedError on close. */
  readonly connected: Promise<void>;

  readonly #pc: RTCPeerConnection;
  readonly #transceiver: RTCRtpTransceiver;
  readonly #clock: Clock;
  readonly #connectTimeoutMs: number;
  readonly #rewriter: RtpStreamRewriter;
  readonly #rtcp: RtcpReporter;
  /** remote payload type → canonical, -1 = drop. */
  readonly #inPt = new Int16Array(128).fill(-1);
  /** canonical payload type → remote, -1 = not negotiated. */
  readonly #outPt = new Int16Array(128).fill(-1);
  readonly #disposers: (() => void)[] = [];
  #handlers: ((packet: RtpPacket) => void)[] = [];
  #onHandlerError: (event: string, error: unknown) => void = () => {};
  #dtls: RTCDtlsTransport | undefined;
  #isConnected = false;
  #awaitingAnswer = false;
  #closed = false;
  #closing: Promise<void> | undefined;
  #connectTimer: TimerHandle | undefined;
  #reportTimer: TimerHandle | undefined;
  #reportedPackets = 0;
  #packetsIn = 0;
  #packetsOut = 0;
  #bytesIn = 0;
  #bytesOut = 0;
  #resolveConnected!: () => void;
  #rejectConnected!: (error: Error) => void;
  #resolveClosed!: () => void;
  readonly #whenClosed = new Promise<void>((resolve) => (this.#resolveClosed = resolve));

  private constructor(pc: RTCPeerConnection, transceiver: RTCRtpTransceiver, opts: MediaOptions, clock: Clock) {
    super();
    this.#pc = pc;
    this.#transceiver = transceiver;
    this.#clock = clock;
    this.#connectTimeoutMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.#rewriter = new RtpStreamRewriter(transceiver.sender.ssrc, () => clock.now());
    this.#rtcp = new RtcpReporter(transceiver.sender.ssrc, pc.cname);
    this.connected = new Promise<void>((resolve, reject) => {
      this.#resolveConnected = resolve;
      this.#rejectConnected = reject;
    });
    // Nobody has to await `connected`; an unobserved rejection must not crash the process.
    this.connected.catch(() => {});
    const { unSubscribe } = pc.connectionStateChange.subscribe((state) => this.#onConnectionState(state));
    this.#disposers.push(unSubscribe);
  }

  /**
   * Answer a remote offer (the visitor's INVITE). Resolves once gathering is complete, so `answerSdp`
   * carries the candidates. Rejects with a MediaError (and leaves nothing open) on an unusable offer.
   */
  static async answer(
    offerSdp: string,
    opts: MediaOptions,
    clock: Clock = systemClock,
  ): Promise<{ leg: MediaLeg; answerSdp: string }> {
    checkSdp(offerSdp, 'offer');
    const pc = new RTCPeerConnection(peerConfig(opts));
    let leg: MediaLeg | undefined;
    try {
      const own = addAudioTransceiver(pc);
      await pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
      const audio = pc.getTransceivers().find((t) => t.kind === 'audio') ?? own;
      // A video (or second audio) m-line is answered inactive rather than failing the call: audio only.
      for (const t of pc.getTransceivers()) if (t !== audio) t.setDirection('inactive');
      leg = new MediaLeg(pc, audio, opts, clock);
      await pc.setLocalDescription(await pc.createAnswer());
      leg.#bind();
      leg.#armConnectTimer();
      return { leg, answerSdp: unbundleRejected(pc.localDescription!.sdp) };
    } catch (error) {
      await (leg ? leg.close() : pc.close()).catch(() => {});
      throw error instanceof MediaError ? error : MediaError.failed('cannot answer the SDP offer', error);
    }
  }

  /** Create an offer (the INVITE to the agent); pass the 200 OK's SDP to {@link MediaLeg.acceptAnswer}. */
  static async offer(opts: MediaOptions, clock: Clock = systemClock): Promise<{ leg: MediaLeg; offerSdp: string }> {
    const pc = new RTCPeerConnection(peerConfig(opts));
    try {
      const leg = new MediaLeg(pc, addAudioTransceiver(pc), opts, clock);
      await pc.setLocalDescription(await pc.createOffer());
      leg.#awaitingAnswer = true;
      return { leg, offerSdp: pc.localDescription!.sdp };
    } catch (error) {
      await pc.close().catch(() => {});
      throw MediaError.failed('cannot create an SDP offer', error);
    }
  }

  /** Apply the remote answer to our offer; ICE and DTLS start here. Rejects with MediaError on a bad answer. */
  async acceptAnswer(answerSdp: string): Promise<void> {
    if (this.#closed) throw ClosedError.closed('media leg');
    if (!this.#awaitingAnswer) throw MediaError.failed('acceptAnswer: no offer is waiting for an answer');
    checkSdp(answerSdp, 'answer');
    this.#awaitingAnswer = false;
    try {
      // werift never settles a description call on a closed connection; race it with close().
      await Promise.race([
        this.#pc.setRemoteDescription({ type: 'answer', sdp: answerSdp }),
        this.#whenClosed.then(() => Promise.reject(ClosedError.closed('media leg'))),
      ]);
      this.#bind();
    } catch (error) {
      throw error instanceof MediaError || error instanceof ClosedError
        ? error
        : MediaError.failed('cannot apply the SDP answer', error);
    }
    this.#armConnectTimer();
  }

  /** Subscribe to inbound RTP (payload type already canonical). Returns the unsubscribe function. */
  onRtp(handler: (packet: RtpPacket) => void): () => void {
    if (this.#closed) return () => {};
    this.#handlers = [...this.#handlers, handler];
    return () => {
      this.#handlers = this.#handlers.filter((h) => h !== handler);
    };
  }

  /**
   * Send one RTP packet whose payload type is canonical. The packet is not modified or kept: the header on
   * the wire is this leg's own (SSRC, payload type, mapped sequence number and timestamp). Dropped silently
   * before the leg is connected, after it closed, and for codecs the remote did not negotiate.
   */
  sendRtp(packet: RtpPacket): void {
    if (!this.#isConnected) return;
    const pt = this.#outPt[packet.header.payloadType & 0x7f]!;
    if (pt < 0) return;
    const header = this.#rewriter.rewrite(packet.header, pt);
    this.#packetsOut++;
    this.#bytesOut += packet.payload.length;
    // Encryption and serialisation of `header` happen synchronously inside; the promise never rejects.
    void this.#dtls!.sendRtp(packet.payload, header);
  }

  markDiscontinuity(): void {
    this.#rewriter.markDiscontinuity();
  }

  get stats(): MediaLegStats {
    return { packetsIn: this.#packetsIn, packetsOut: this.#packetsOut, bytesIn: this.#bytesIn, bytesOut: this.#bytesOut };
  }

  get closed(): boolean {
    return this.#closed;
  }

  override onListenerError(fn: (event: string, error: unknown) => void): void {
    super.onListenerError(fn);
    this.#onHandlerError = fn;
  }

  /** Close the peer connection (sockets, DTLS, timers). Idempotent; resolves once werift has closed. */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#isConnected = false;
      this.#awaitingAnswer = false;
      this.#connectTimer?.cancel();
      this.#reportTimer?.cancel();
      for (const dispose of this.#disposers.splice(0)) dispose();
      this.#handlers = [];
      this.#rejectConnected(ClosedError.closed('media leg'));
      this.#resolveClosed();
      this.#closing = this.#pc
        .close()
        .catch(() => {})
        .then(() => this.safeEmit('closed'));
    }
    return this.#closing!;
  }

  /** After negotiation: learn the payload type maps and take inbound RTP from the DTLS transport. */
  #bind(): void {
    for (const codec of this.#transceiver.codecs) {
      const canonical = canonicalPayloadType(codec.mimeType, codec.clockRate);
      if (canonical < 0) continue;
      this.#inPt[codec.payloadType & 0x7f] = canonical;
      if (this.#outPt[canonical]! < 0) this.#outPt[canonical] = codec.payloadType;
    }
    if (this.#outPt[CANONICAL_PT.opus]! < 0) throw MediaError.failed('the remote does not accept Opus');
    this.#dtls = this.#transceiver.dtlsTransport;
    // We read RTP from the transport and report on it ourselves: stop werift's receiver from doing it again.
    this.#transceiver.receiver.stop();
    this.#disposers.push(
      this.#dtls.onRtp.subscribe(this.#onRtp).unSubscribe,
      this.#dtls.onRtcp.subscribe(this.#onRtcp).unSubscribe,
    );
    this.#onConnectionState(this.#pc.connectionState); // in case it connected before we got here
  }

  readonly #onRtp = (packet: RtpPacket): void => {
    const header = packet.header;
    const pt = this.#inPt[header.payloadType & 0x7f]!;
    if (pt < 0 || this.#closed) return;
    header.payloadType = pt;
    this.#rtcp.onRtp(header, this.#clock.now());
    this.#packetsIn++;
    this.#bytesIn += packet.payload.length;
    const handlers = this.#handlers;
    for (let i = 0; i < handlers.length; i++) {
      try {
        handlers[i]!(packet);
      } catch (error) {
        this.#onHandlerError('rtp', error);
      }
    }
  };

  readonly #onRtcp = (packet: RtcpPacket): void => {
    if (packet.type === RtcpSrPacket.type) {
      this.#rtcp.onSenderReport(packet.ssrc, packet.senderInfo.ntpTimestamp, this.#clock.now());
    }
  };

  #armConnectTimer(): void {
    if (this.#closed || this.#isConnected) return;
    this.#connectTimer = this.#clock.setTimeout(
      () => this.#fail(MediaError.failed(`media did not connect within ${this.#connectTimeoutMs} ms`)),
      this.#connectTimeoutMs,
    );
  }

  #onConnectionState(state: string): void {
    if (this.#closed) return;
    if (state === 'connected' && !this.#isConnected && this.#dtls) {
      this.#isConnected = true;
      this.#connectTimer?.cancel();
      this.#resolveConnected();
      this.#scheduleReport();
      this.safeEmit('connected');
    } else if (state === 'failed' || state === 'closed') {
      // 'failed' also covers a remote that vanished: RFC 7675 consent expires after ~30 s.
      this.#fail(MediaError.failed(`ICE/DTLS connection ${state}`));
    }
  }

  #fail(error: MediaError): void {
    if (this.#closed) return;
    this.#rejectConnected(error);
    this.safeEmit('failed', error);
    void this.close();
  }

  /** An RTCP report every 0.5–1.5 s (RFC 3550 §6.2; the interval werift's own sender uses). */
  #scheduleReport(): void {
    this.#reportTimer = this.#clock.setTimeout(() => {
      if (this.#closed) return;
      const now = this.#clock.now();
      const sending = this.#packetsOut !== this.#reportedPackets;
      this.#reportedPackets = this.#packetsOut;
      const sent = sending
        ? { packets: this.#packetsOut, octets: this.#bytesOut, rtpTimestamp: this.#rewriter.timestampAt(now) }
        : undefined;
      void this.#dtls!.sendRtcp(this.#rtcp.build(now, sent)).catch(() => {});
      this.#scheduleReport();
    }, 500 + Math.random() * 1000);
  }
}

/**
 * werift accepts almost any text as SDP (garbage parses as a session without media), so check the basics
 * ourselves: a version line, an audio m-line that is not rejected (port 0, RFC 3264 §6), ICE credentials and
 * a DTLS fingerprint (RFC 8839 §5.4, RFC 8122 §5).
 */
function checkSdp(sdp: string, what: 'offer' | 'answer'): void {
  const missing =
    typeof sdp !== 'string' || !/^v=0\r?$/m.test(sdp)
      ? 'a version line'
      : !/^m=audio [1-9]\d* /m.test(sdp)
        ? 'an accepted audio m-line'
        : !/^a=ice-ufrag:/m.test(sdp) || !/^a=ice-pwd:/m.test(sdp)
          ? 'ICE credentials'
          : !/^a=fingerprint:/m.test(sdp)
            ? 'a DTLS fingerprint'
            : undefined;
  if (missing) throw MediaError.failed(`SDP ${what} has no ${missing}`);
}

/**
 * werift answers an inactive m-line with port 0 (which means rejected) but keeps its mid in the BUNDLE group;
 * RFC 8843 §7.3.3 says a rejected m-line's mid MUST NOT be in the answer's BUNDLE group, so take it out.
 */
function unbundleRejected(sdp: string): string {
  const rejected = new Set<string>();
  for (const section of sdp.split(/\r?\n(?=m=)/).slice(1)) {
    const mid = /^a=mid:(\S+)/m.exec(section)?.[1];
    if (mid !== undefined && /^m=\S+ 0 /.test(section)) rejected.add(mid);
  }
  if (rejected.size === 0) return sdp;
  return sdp.replace(/^a=group:BUNDLE(.*)$/m, (_line, mids: string) => {
    const kept = mids.trim().split(/\s+/).filter((m) => !rejected.has(m));
    return `a=group:BUNDLE ${kept.join(' ')}`;
  });
}

function addAudioTransceiver(pc: RTCPeerConnection): RTCRtpTransceiver {
  // A stream id gives the SDP an a=msid line, so the browser's ontrack event carries a MediaStream.
  return pc.addTransceiver('audio', { direction: 'sendrecv', streams: [new MediaStream({ id: randomUUID() })] });
}
