import type { Store } from '../store/store.js';
import type { DigestAuthenticator } from '../sip/digest-auth.js';
import { getHeader } from '../sip/message.js';
import { Registrar } from '../sip/registrar.js';
import type { ServerTransaction, SipLogger } from '../sip/transaction.js';
import type { AcdService } from './acd-service.js';
import type { AgentRoster } from './agent-roster.js';

export interface AgentRegistrationDeps {
  store: Store;
  digest: DigestAuthenticator;
  registrar: Registrar;
  roster: AgentRoster;
  acd: AcdService;
  log: SipLogger;
}

/**
 * REGISTER from an agent's softphone (RFC 3261 §10.3): the tenant is the To URI's domain, which is also the
 * digest realm; the agent authenticates with SIP digest (§22.4) against the HA1 stored for it, may register
 * only its own address-of-record, and is then bound by the registrar (RFC 5626 flows on its WebSocket).
 */
export async function handleRegister(tx: ServerTransaction, deps: AgentRegistrationDeps): Promise<void> {
  const req = tx.request;
  const domain = req.to.uri.host;
  const tenant = await deps.store.tenants.findBySipDomain(domain);
  if (!tenant) {
    tx.respond(404, { reason: 'Not Found - unknown domain' });
    return;
  }
  const realm = tenant.sipDomain;
  const result = await deps.digest.verify('REGISTER', getHeader(req, 'authorization'), async (username, r) => {
    if (r !== realm) return null;
    return (await deps.store.agents.sipCredentials(tenant.id, username))?.ha1 ?? null;
  });
  if (!result.ok) {
    if (result.reason === 'bad-credentials' || result.reason === 'unknown-user') {
      deps.log.warn({ domain, reason: result.reason, remote: tx.connection.remote }, 'REGISTER refused');
      tx.respond(403, { reason: 'Forbidden - bad credentials' });
      return;
    }
    tx.respond(401, { headers: { 'WWW-Authenticate': deps.digest.challenge(realm, result.reason === 'stale') } });
    return;
  }
  const aor = Registrar.aorOf(req.to.uri);
  if (req.to.uri.user !== result.username) {
    tx.respond(403, { reason: 'Forbidden - may only register your own address' });
    return;
  }
  const creds = await deps.store.agents.sipCredentials(tenant.id, result.username);
  if (!creds) {
    tx.respond(403, { reason: 'Forbidden' });
    return;
  }
  const agent = await deps.store.agents.get(tenant.id, creds.agentId);
  deps.roster.upsert({ agentId: agent.id, tenantId: tenant.id, username: agent.username, displayName: agent.displayName, aor });
  const response = deps.registrar.handle(tx, { aor });
  if (response.status === 200) {
    await deps.acd.setRegistered(tenant.id, agent.id, deps.registrar.lookup(aor).some((b) => !b.connection.closed));
  }
}
