import { SipError } from '../errors.js';
import type { DigestAuthenticator } from '../sip/digest-auth.js';
import { getHeader, type SipRequest, type SipUri } from '../sip/message.js';
import type { Agent } from '../store/agent-repo.js';
import type { Store } from '../store/store.js';
import type { Tenant } from '../store/tenant-repo.js';
import type { AgentProfile, AgentRoster } from './agent-roster.js';

/** An agent's INVITE the bridge will carry out: who calls whom, both agents of `tenant`. */
export interface InternalAdmission {
  tenant: Tenant;
  from: AgentProfile;
  to: AgentProfile;
}

/**
 * The INVITE carried no (or no fresh) digest credentials: answer 401 with a digest challenge for `realm`
 * (RFC 3261 §22.2), `stale` when the password was right but the nonce was old (RFC 2617 §3.2.1).
 */
export class DigestChallengeError extends SipError {
  constructor(
    readonly realm: string,
    readonly stale: boolean,
  ) {
    super('SIP_UNAUTHORIZED', 401, 'Unauthorized');
  }
}

/**
 * Which side of the bridge's security boundary an INVITE *without* credentials knocks on. A visitor's always
 * carries its bearer token, so one without credentials gets challenged: with the Bearer challenge on the visitor
 * path when it targets a queue (or does not come from one of our domains), with the digest challenge of agents
 * otherwise (JsSIP sends an agent's INVITE without credentials first and answers the challenge).
 */
export async function isVisitorInvite(req: SipRequest, store: Store): Promise<boolean> {
  const home = await store.tenants.findBySipDomain(req.from.uri.host);
  if (!home) return true;
  const target = req.uri.host === home.sipDomain ? home : await store.tenants.findBySipDomain(req.uri.host);
  if (!target || !req.uri.user) return false;
  return (await store.queues.findByName(target.id, req.uri.user)) !== null;
}

/**
 * Who may call whom inside the bridge (the agents' side of the security boundary; visitors stay on
 * `visitor-admission.ts`). The caller is the agent the SIP digest (RFC 3261 §22.4) authenticates, with the
 * realm and the HA1 the REGISTER uses (the tenant is the From URI's domain) and From naming that agent. The
 * Request-URI must name another agent of the same tenant by username (a username of digits serves as an
 * extension). Refusals, each with a reason phrase:
 * - no or stale credentials → {@link DigestChallengeError} (401); wrong ones → 403;
 * - another domain (another tenant's agents) → 403; an outside phone number → 403 (no trunk yet);
 * - no such agent → 404; the caller itself → 403.
 */
export async function admitInternalCall(
  req: SipRequest,
  d: { store: Store; digest: DigestAuthenticator; roster: AgentRoster },
): Promise<InternalAdmission> {
  const tenant = await d.store.tenants.findBySipDomain(req.from.uri.host);
  if (!tenant) throw SipError.forbidden('Forbidden - unknown domain');
  const realm = tenant.sipDomain;
  const result = await d.digest.verify('INVITE', getHeader(req, 'authorization'), async (username, r) =>
    r === realm ? ((await d.store.agents.sipCredentials(tenant.id, username))?.ha1 ?? null) : null,
  );
  if (!result.ok) {
    if (result.reason === 'bad-credentials' || result.reason === 'unknown-user') {
      throw SipError.forbidden('Forbidden - bad credentials');
    }
    throw new DigestChallengeError(realm, result.reason === 'stale');
  }
  if (req.from.uri.user !== result.username) throw SipError.forbidden('Forbidden - you may only call as yourself');
  const caller = await d.store.agents.findByUsername(tenant.id, result.username);
  if (!caller) throw SipError.forbidden('Forbidden - bad credentials');

  const uri = req.uri;
  if (uri.host !== tenant.sipDomain) throw SipError.forbidden('Forbidden - only agents of your organisation can be called');
  const user = uri.user ?? '';
  if (user === '') throw SipError.notFound('Not Found - no extension given');
  const target = user.startsWith('+') ? null : await d.store.agents.findByUsername(tenant.id, user.toLowerCase());
  if (!target) {
    if (isPhoneNumber(uri)) throw SipError.forbidden('Forbidden - outside numbers cannot be called yet (no trunk)');
    throw SipError.notFound('Not Found - no such extension');
  }
  if (target.id === caller.id) throw SipError.forbidden('Forbidden - you cannot call yourself');
  return { tenant, from: profile(caller, tenant, d.roster), to: profile(target, tenant, d.roster) };
}

/**
 * A telephone number rather than an extension: `user=phone` (RFC 3261 §19.1.1), a global number (`+`), or
 * seven or more digits (visual separators of RFC 3966 §5.1.1 allowed).
 */
export function isPhoneNumber(uri: SipUri): boolean {
  const user = uri.user ?? '';
  if (uri.params['user'] === 'phone' || user.startsWith('+')) return true;
  return /^[0-9().-]+$/.test(user) && user.replace(/\D/g, '').length >= 7;
}

/** The agent as ringing needs it; the address-of-record is the one its REGISTER bound, when the roster knows it. */
function profile(agent: Agent, tenant: Tenant, roster: AgentRoster): AgentProfile {
  return {
    agentId: agent.id,
    tenantId: tenant.id,
    username: agent.username,
    displayName: agent.displayName,
    aor: roster.get(agent.id)?.aor ?? `sip:${agent.username}@${tenant.sipDomain}`,
  };
}
