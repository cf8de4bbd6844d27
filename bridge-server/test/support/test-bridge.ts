import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startBridge, type Bridge, type BridgeOptions } from '../../src/bridge.js';
import { loadConfig } from '../../src/config.js';
import { SipWsClient, digestAuthorization } from './sip-ws-client.js';

export const DOMAIN = 'demo.sambung.local';
export const PASSWORDS = { alice: "alice-test-pass", bob: "bob-test-pass", admin: "admin-test-pass" } as const;

/** A real bridge on 127.0.0.1:<ephemeral>, in-memory SQLite, demo seed, silent logs. */
export async function startTestBridge(env: Record<string, string> = {}, options: BridgeOptions = {}): Promise<Bridge & { wsUrl: string; dispose(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sambung-test-'));
  const bridge = await startBridge(
    loadConfig({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: 'sqlite::memory:',
      LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
      TOKEN_SECRET: 'test-secret-'.padEnd(40, 'x'),
      MEDIA_PUBLIC_ADDRESS: '127.0.0.1',
      DEMO_PASSWORD_ALICE: PASSWORDS.alice,
      DEMO_PASSWORD_BOB: PASSWORDS.bob,
      DEMO_PASSWORD_ADMIN: PASSWORDS.admin,
      ...env,
    }),
    options,
  );
  return Object.assign(bridge, {
    wsUrl: `ws://127.0.0.1:${bridge.port}/sip`,
    async dispose() {
      await bridge.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

export const rand = () => randomBytes(6).toString('hex');

/** REGISTER an agent over a new WebSocket, answering the digest challenge. */
export async function registerAgent(wsUrl: string, username: string, password: string = PASSWORDS[username as 'alice' | 'bob']): Promise<SipWsClient> {
  const c = await SipWsClient.connect(wsUrl);
  const callId = rand();
  const tag = rand();
  const register = (cseq: number, auth?: string) =>
    c.send(`REGISTER sip:${DOMAIN} SIP/2.0
Via: SIP/2.0/WS ${c.host};branch=z9hG4bK${rand()}
Max-Forwards: 69
To: <sip:${username}@${DOMAIN}>
From: <sip:${username}@${DOMAIN}>;tag=${tag}
Call-ID: ${callId}
CSeq: ${cseq} REGISTER
Contact: <sip:${username}-${rand()}@${c.host};transport=ws>;+sip.instance="<urn:uuid:00000000-0000-4000-8000-${rand()}>";reg-id=1;expires=600
${auth ? `Authorization: ${auth}\n` : ''}Supported: path, outbound
Content-Length: 0

`);
  register(1);
  const challenge = await c.response('REGISTER', 401);
  register(2, digestAuthorization(challenge.headers.get('www-authenticate')![0]!, { username, password, method: 'REGISTER', uri: `sip:${DOMAIN}` }));
  const ok = await c.response('REGISTER');
  if (ok.status !== 200) throw new Error(`REGISTER ${username} got ${ok.status} ${ok.reason}`);
  return c;
}

/** A visitor token from the real HTTP endpoint. */
export async function visitorToken(bridge: Bridge, body: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${bridge.url}/api/visitor-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'demo', queue: 'sales', name: 'Siti Rahma', phone: '+62 812 5555 0101', email: 'siti@example.id', ...body }),
  });
  if (!res.ok) throw new Error(`visitor token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export interface VisitorInvite {
  callId: string;
  tag: string;
  send(): void;
  /** ACK: for a 2xx a new branch; for a non-2xx (`sameBranch`) the INVITE's branch (RFC 3261 §17.1.1.3). */
  ack(toTag: string, cseq?: number, sameBranch?: boolean): void;
  bye(toTag: string, cseq: number): void;
  cancel(): void;
  branch: string;
}

/** Raw INVITE (and its ACK/BYE/CANCEL) from a visitor connection. */
export function visitorInvite(c: SipWsClient, opts: { target?: string; token?: string | null; sdp: string }): VisitorInvite {
  const callId = rand();
  const tag = rand();
  const branch = `z9hG4bK${rand()}`;
  const target = opts.target ?? `sip:sales@${DOMAIN}`;
  const from = `"Siti Rahma" <sip:visitor-1@${DOMAIN}>;tag=${tag}`;
  const head = (method: string, cseq: number, br: string, to: string) => `${method} ${target} SIP/2.0
Via: SIP/2.0/WS ${c.host};branch=${br}
Max-Forwards: 70
To: ${to}
From: ${from}
Call-ID: ${callId}
CSeq: ${cseq} ${method}`;
  return {
    callId,
    tag,
    branch,
    send() {
      c.send(`${head('INVITE', 1, branch, `<${target}>`)}
Contact: <sip:v${rand()}@${c.host};transport=ws;ob>
${opts.token ? `Authorization: Bearer ${opts.token}\n` : ''}Content-Type: application/sdp
Content-Length: ${Buffer.byteLength(opts.sdp)}

${opts.sdp}`);
    },
    ack(toTag, cseq = 1, sameBranch = false) {
      c.send(`${head('ACK', cseq, sameBranch ? branch : `z9hG4bK${rand()}`, `<${target}>;tag=${toTag}`)}
Content-Length: 0

`);
    },
    bye(toTag, cseq) {
      c.send(`${head('BYE', cseq, `z9hG4bK${rand()}`, `<${target}>;tag=${toTag}`)}
Content-Length: 0

`);
    },
    cancel() {
      c.send(`${head('CANCEL', 1, branch, `<${target}>`)}
Content-Length: 0

`);
    },
  };
}
