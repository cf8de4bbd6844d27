import type { SipRequest, SipResponse } from '../../src/sip/message.js';
import { formatUri } from '../../src/sip/uri.js';
import { digestAuthorization, type SipWsClient } from './sip-ws-client.js';
import { DOMAIN, PASSWORDS, rand } from './test-bridge.js';

/** The bridge's Contact: in-dialog requests to it carry this Request-URI (the host is not used). */
const BRIDGE = 'sip:sambung@sambung.invalid;transport=ws';

export interface AgentDial {
  readonly callId: string;
  readonly target: string;
  /** The INVITE (`cseq` 1 goes out without credentials; JsSIP's retry after the 401 is `cseq` 2). */
  invite(cseq: number, auth?: string): void;
  /** ACK: for a non-2xx the INVITE's branch and CSeq (RFC 3261 §17.1.1.3); for the 2xx a new branch. */
  ack(toTag: string, cseq: number, nonSuccess?: boolean): void;
  cancel(cseq: number): void;
  /** An in-dialog request after the 200 (BYE, INFO), with the bridge's To tag. */
  inDialog(method: string, toTag: string, cseq: number, body?: { type: string; text: string }): void;
}

/**
 * An agent's outgoing call written as raw SIP, the way JsSIP sends `ua.call()`: From is the agent's own
 * address-of-record, the Request-URI the extension dialled.
 */
export function agentDial(c: SipWsClient, opts: { from: string; target: string; sdp: string }): AgentDial {
  const callId = rand();
  const tag = rand();
  const branches = new Map<number, string>();
  const { target } = opts;
  const line = (method: string, cseq: number, branch: string, to: string, uri = target) => `${method} ${uri} SIP/2.0
Via: SIP/2.0/WS ${c.host};branch=${branch}
Max-Forwards: 69
To: ${to}
From: <sip:${opts.from}@${DOMAIN}>;tag=${tag}
Call-ID: ${callId}
CSeq: ${cseq} ${method}`;
  return {
    callId,
    target,
    invite(cseq, auth) {
      const branch = `z9hG4bK${rand()}`;
      branches.set(cseq, branch);
      c.send(`${line('INVITE', cseq, branch, `<${target}>`)}
Contact: <sip:${opts.from}-${rand()}@${c.host};transport=ws;ob>
${auth ? `Authorization: ${auth}\n` : ''}Content-Type: application/sdp
Content-Length: ${Buffer.byteLength(opts.sdp)}

${opts.sdp}`);
    },
    ack(toTag, cseq, nonSuccess = false) {
      const branch = nonSuccess ? branches.get(cseq)! : `z9hG4bK${rand()}`;
      c.send(`${line('ACK', cseq, branch, `<${target}>;tag=${toTag}`, nonSuccess ? target : BRIDGE)}
Content-Length: 0

`);
    },
    cancel(cseq) {
      c.send(`${line('CANCEL', cseq, branches.get(cseq)!, `<${target}>`)}
Content-Length: 0

`);
    },
    inDialog(method, toTag, cseq, body) {
      const text = body?.text ?? '';
      c.send(`${line(method, cseq, `z9hG4bK${rand()}`, `<${target}>;tag=${toTag}`, BRIDGE)}
${body ? `Content-Type: ${body.type}\n` : ''}Content-Length: ${Buffer.byteLength(text)}

${text}`);
    },
  };
}

/** Dial as JsSIP does: the INVITE without credentials, ACK the 401, the INVITE again with the digest answer. */
export async function dialAuthenticated(
  c: SipWsClient,
  opts: { from: 'alice' | 'bob' | 'admin'; target: string; sdp: string; password?: string },
): Promise<{ dial: AgentDial; challenge: SipResponse }> {
  const dial = agentDial(c, opts);
  dial.invite(1);
  const challenge = await c.response('INVITE', 401, dial.callId);
  dial.ack(challenge.to.params.tag!, 1, true);
  const www = challenge.headers.get('www-authenticate')?.[0] ?? '';
  const password = opts.password ?? PASSWORDS[opts.from];
  dial.invite(2, digestAuthorization(www, { username: opts.from, password, method: 'INVITE', uri: opts.target }));
  return { dial, challenge };
}

/** A request the callee's softphone sends in the dialog the bridge's INVITE created (its BYE, say). */
export function calleeRequest(c: SipWsClient, invite: SipRequest, calleeTag: string, method: string, cseq: number): void {
  c.send(`${method} ${BRIDGE} SIP/2.0
Via: SIP/2.0/WS ${c.host};branch=z9hG4bK${rand()}
Max-Forwards: 70
From: <${formatUri(invite.to.uri)}>;tag=${calleeTag}
To: <${formatUri(invite.from.uri)}>;tag=${invite.from.params.tag}
Call-ID: ${invite.callId}
CSeq: ${cseq} ${method}
Content-Length: 0

`);
}

export const agentUri = (user: string, domain = DOMAIN) => `sip:${user}@${domain}`;
