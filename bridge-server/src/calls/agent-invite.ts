import type { Clock } from '../clock.js';
import { MediaLeg } from '../media/media-leg.js';
import type { MediaOptions } from '../media/media-options.js';
import { Dialog } from '../sip/dialog.js';
import { createRequest } from '../sip/message-builders.js';
import type { SipResponse } from '../sip/message.js';
import type { Registrar } from '../sip/registrar.js';
import type { SipStack } from '../sip/sip-stack.js';
import { parseUri } from '../sip/uri.js';
import type { AgentProfile } from './agent-roster.js';
import type { AgentOffer, Caller } from './call.js';
import { encodeHeaderValue, H } from './call-headers.js';
import { OUR_CONTACT } from './bridge-identity.js';
import { SipLeg } from './sip-leg.js';

/** What can be offered to an agent: a waiting visitor call, or a callback the visitor asked for. */
export interface Ringable {
  readonly id: string;
  /** `X-Sambung-Call-Kind`: a visitor's call, a callback, or a colleague's internal call. */
  readonly kind: 'call' | 'callback' | 'internal';
  /** The From user when the caller is one of our agents (internal calls); visitors get `visitor-<id>`. */
  readonly fromUser?: string;
  readonly queueName: string;
  readonly caller: Caller;
  readonly ended: boolean;
  offerTo(agentId: string): AgentOffer | undefined;
}

/** What ringing needs from the bridge; the same for every offer. */
export interface RingContext {
  stack: SipStack;
  registrar: Registrar;
  media: MediaOptions;
  clock: Clock;
}

export interface RingHandlers {
  /** The agent's softphone is ringing (180/183). */
  onRinging(): void;
  /** The agent answered (2xx, already ACKed); the leg is confirmed. */
  onAnswered(leg: SipLeg, response: SipResponse, dialog: Dialog): void;
  /** The agent did not take it: a final 3xx–6xx (`rejected`), or no reachable registration, media or transport (`error`). */
  onFailed(why: 'rejected' | 'error', detail: string): void;
}

/**
 * INVITE the agent's newest live registration with a fresh media offer (RFC 3261 §13.2.1). The caller's
 * details ride in X-Sambung-* headers (percent-encoded, see call-headers.ts) and the From display name.
 * A 2xx that arrives after we gave up on this leg (it crossed our CANCEL) is ACKed and immediately BYEd.
 */
export async function ringAgent(call: Ringable, offer: AgentOffer, ctx: RingContext, o: RingHandlers): Promise<void> {
  const contact = OUR_CONTACT;
  const agent: AgentProfile = offer.agent;
  const binding = ctx.registrar.lookup(agent.aor).find((b) => !b.connection.closed);
  if (!binding) return o.onFailed('error', 'unreachable');
  let media: { leg: MediaLeg; offerSdp: string };
  try {
    media = await MediaLeg.offer(ctx.media, ctx.clock);
  } catch {
    return o.onFailed('error', 'media');
  }
  if (call.ended || call.offerTo(agent.agentId) !== offer || offer.withdrawn) {
    void media.leg.close();
    return;
  }
  const conn = binding.connection;
  const agentUri = parseUri(agent.aor);
  const invite = createRequest({
    method: 'INVITE',
    uri: binding.contact.uri,
    from: {
      displayName: call.caller.name || 'Web visitor',
      uri: { ...agentUri, user: call.fromUser ?? `visitor-${call.caller.visitorId.replace(/[^a-zA-Z0-9]/g, '').slice(0, 8) || 'web'}`, params: {}, headers: {} },
      params: {},
    },
    to: { displayName: agent.displayName, uri: agentUri, params: {} },
    via: { transport: conn.transport },
    contact,
    body: media.offerSdp,
    contentType: 'application/sdp',
    headers: {
      Allow: 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO',
      [H.callId]: call.id,
      [H.kind]: call.kind,
      [H.queue]: encodeHeaderValue(call.queueName),
      [H.callerName]: encodeHeaderValue(call.caller.name),
      [H.callerPhone]: encodeHeaderValue(call.caller.phone),
      [H.callerEmail]: encodeHeaderValue(call.caller.email),
    },
  });
  const leg = new SipLeg('uac', conn, invite.callId);
  offer.leg = leg;
  offer.media = media.leg;
  leg.clientInvite = ctx.stack.sendRequest(conn, invite, {
    onProvisional(res) {
      if (res.status === 100 || leg.state !== 'trying') return;
      if (res.to.params.tag) leg.transition('early');
      o.onRinging();
    },
    onFinal(res) {
      leg.clientInvite = null;
      if (res.status >= 300) {
        leg.transition('terminated');
        return o.onFailed('rejected', String(res.status));
      }
      const dialog = Dialog.fromUac(invite, res, conn, { localContact: contact });
      ctx.stack.sendAck(conn, dialog.createAck(invite.cseq.seq));
      leg.setDialog(dialog);
      if (leg.state === 'terminating' || leg.state === 'terminated') {
        // Our CANCEL crossed the agent's 200 (RFC 3261 §9.1): end the dialog we did not want.
        try {
          ctx.stack.sendRequest(conn, dialog.createRequest('BYE'));
        } finally {
          dialog.terminate();
          leg.transition('terminated');
        }
        return;
      }
      leg.transition('confirmed');
      o.onAnswered(leg, res, dialog);
    },
    onError(error) {
      leg.clientInvite = null;
      leg.transition('terminated');
      o.onFailed('error', error.code);
    },
  });
}
