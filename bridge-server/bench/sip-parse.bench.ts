/**
 * SIP parse + serialize throughput against two anchors measured in the same run on one core (one JS thread):
 * the `sip` npm package (`parse` / `stringify`) and JsSIP's parser (`Parser.parseMessage`, then the message's
 * `toString()`). Each figure is one parse plus one serialize of the same text, in messages per CPU-second.
 * Benchmarks are not tests (CONVENTIONS #10).
 *
 * Note on the anchors: JsSIP's `IncomingMessage.toString()` returns the text it was given, so its serialize
 * costs nothing; the `sip` package leaves URIs in From/To/Contact unparsed. Ours parses both eagerly.
 */
import { createRequire } from 'node:module';
import { parseMessage } from '../src/sip/parser.js';
import { serializeMessage } from '../src/sip/serializer.js';

const require = createRequire(import.meta.url);

const crlf = (lines: string[]): string => lines.join('\r\n');

function withBody(head: string[], body: string[]): string {
  const sdp = `${crlf(body)}\r\n`;
  return `${crlf([...head, `Content-Length: ${Buffer.byteLength(sdp)}`])}\r\n\r\n${sdp}`;
}

/** A Chrome INVITE as JsSIP sends it over WSS (~1.3 kB with SDP). */
export const CHROME_INVITE = withBody(
  [
    'INVITE sip:support@sambung.example.com SIP/2.0',
    'Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK6471409',
    'Max-Forwards: 69',
    'To: <sip:support@sambung.example.com>',
    'From: "Website visitor" <sip:visitor-8f2a@sambung.example.com>;tag=kk2oqtbjlj',
    'Call-ID: 3snnb1s4uq4tlgf1d7pc',
    'CSeq: 8511 INVITE',
    'Contact: <sip:k3nq7c2m@df7jal23ls0d.invalid;transport=ws;ob>',
    'Content-Type: application/sdp',
    'Allow: INVITE,ACK,CANCEL,BYE,UPDATE,MESSAGE,OPTIONS,REFER,INFO,NOTIFY',
    'Supported: timer,ice,replaces,outbound',
    'User-Agent: JsSIP 3.10.0',
  ],
  [
    'v=0',
    'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=group:BUNDLE 0',
    'm=audio 50712 UDP/TLS/RTP/SAVPF 111 0 8 110',
    'c=IN IP4 203.0.113.7',
    'a=rtcp:9 IN IP4 0.0.0.0',
    'a=candidate:1467250027 1 udp 2122260223 192.168.1.20 50712 typ host generation 0 network-id 1',
    'a=candidate:842163049 1 udp 1686052607 203.0.113.7 50712 typ srflx raddr 192.168.1.20 rport 50712 generation 0 network-id 1',
    'a=ice-ufrag:8hhY',
    'a=ice-pwd:asd88fgpdd777uzjYhagZg1y',
    'a=ice-options:trickle',
    'a=fingerprint:sha-256 49:66:12:17:0D:1C:91:AE:57:4C:C6:36:DD:D5:97:D2:7D:62:C9:9A:7F:B9:A3:F4:70:03:EB:1E:BA:C4:E3:E0',
    'a=setup:actpass',
    'a=mid:0',
    'a=sendrecv',
    'a=rtcp-mux',
    'a=rtpmap:111 opus/48000/2',
    'a=fmtp:111 minptime=10;useinbandfec=1',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:110 telephone-event/48000',
    'a=ssrc:3735928559 cname:Zk1c2Vb0n3m4LqQp',
  ],
);

/** A JsSIP REGISTER with outbound (RFC 5626) Contact parameters. */
export const JSSIP_REGISTER = `${crlf([
  'REGISTER sip:sambung.example.com SIP/2.0',
  'Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK2382834',
  'Max-Forwards: 69',
  'To: <sip:agent-42@sambung.example.com>',
  'From: <sip:agent-42@sambung.example.com>;tag=d6ne0gbq8c',
  'Call-ID: 8tqbe3h0ffqctk4g5amb6u',
  'CSeq: 1 REGISTER',
  'Contact: <sip:k3nq7c2m@df7jal23ls0d.invalid;transport=ws;ob>;+sip.ice;reg-id=1;+sip.instance="<urn:uuid:2b5d3e4f-1a2b-4c3d-8e9f-0a1b2c3d4e5f>";expires=600',
  'Expires: 600',
  'Allow: INVITE,ACK,CANCEL,BYE,UPDATE,MESSAGE,OPTIONS,REFER,INFO,NOTIFY',
  'Supported: path,gruu,outbound',
  'User-Agent: JsSIP 3.10.0',
  'Content-Length: 0',
])}\r\n\r\n`;

/** CPU time used by this process, in ms. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Runs every contender for `totalMs` of CPU time after a warm-up, in interleaved slices (A B C, B C A, …) so
 * that a burst of load from elsewhere on the machine hits all of them alike; CPU time rather than wall time keeps
 * other processes' share of the core out of the figures. Returns calls per CPU-second, in input order.
 */
function race(fns: ReadonlyArray<() => void>, totalMs = 1500, slices = 6): number[] {
  const run = (fn: () => void, ms: number): [calls: number, ms: number] => {
    const start = cpuMs();
    let now = start;
    let calls = 0;
    while (now - start < ms) {
      for (let i = 0; i < 50; i++) fn();
      calls += 50;
      now = cpuMs();
    }
    return [calls, now - start];
  };
  for (const fn of fns) run(fn, 400);
  const calls = fns.map(() => 0);
  const spent = fns.map(() => 0);
  for (let s = 0; s < slices; s++) {
    // Rotate who goes first, so the GC work one contender leaves behind falls on each of the others alike.
    for (let k = 0; k < fns.length; k++) {
      const i = (s + k) % fns.length;
      const [n, ms] = run(fns[i]!, totalMs / slices);
      calls[i]! += n;
      spent[i]! += ms;
    }
  }
  return calls.map((n, i) => (n * 1000) / spent[i]!);
}

interface SipNpm {
  parse(text: string): unknown;
  stringify(msg: unknown): string;
}
interface JsSipParser {
  parseMessage(text: string, ua: unknown): { toString(): string } | undefined;
}

let sink = 0;

export default async function (): Promise<void> {
  const sipNpm = require('sip') as SipNpm;
  const jssip = require('jssip/lib/Parser.js') as JsSipParser;
  const ua = { configuration: {} }; // IncomingRequest only keeps a reference to its UA
  for (const [name, text] of [
    ['invite', CHROME_INVITE],
    ['register', JSSIP_REGISTER],
  ] as const) {
    // Every contender must accept the text, or the comparison means nothing.
    if (!sipNpm.parse(text) || !jssip.parseMessage(text, ua)) throw new Error(`anchor rejected the ${name} text`);
    const [ours, npm, js] = race([
      () => {
        sink += serializeMessage(parseMessage(text)).length;
      },
      () => {
        sink += sipNpm.stringify(sipNpm.parse(text)).length;
      },
      () => {
        sink += jssip.parseMessage(text, ua)!.toString().length;
      },
    ]) as [number, number, number];
    console.log(
      `bench sip-parse ${name}: ours=${Math.round(ours)} msg/s sip-npm=${Math.round(npm)} msg/s ` +
        `jssip=${Math.round(js)} msg/s ratio-vs-sip-npm=${(ours / npm).toFixed(2)} ` +
        `ratio-vs-jssip=${(ours / js).toFixed(2)}`,
    );
  }
  if (sink === -1) console.log('unreachable');
}
