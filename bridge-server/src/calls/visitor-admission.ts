import type { TokenService, VisitorClaims } from '../auth/tokens.js';
import { SambungError, SipError } from '../errors.js';
import { parseAuthorization } from '../sip/digest-auth.js';
import { getHeader, type SipRequest } from '../sip/message.js';
import type { Queue } from '../store/queue-repo.js';
import type { Store } from '../store/store.js';
import type { Tenant } from '../store/tenant-repo.js';

export interface Admission {
  claims: VisitorClaims;
  tenant: Tenant;
  queue: Queue;
}

/**
 * Who may place a call, and where to (the security boundary of the product): an INVITE must carry a visitor
 * bearer token (RFC 8898 `Authorization: Bearer`), and its Request-URI must be exactly the queue the token was
 * issued for, in that queue's tenant domain. Anything else — another queue, an agent, a phone number, any
 * other SIP URI — is refused with 403 before any leg or media exists. Agents cannot place calls yet.
 */
export async function admitVisitor(req: SipRequest, tokens: TokenService, store: Store): Promise<Admission> {
  const auth = parseAuthorization(getHeader(req, 'authorization'));
  if (!auth || auth.scheme !== 'bearer') {
    throw new SipError('SIP_UNAUTHORIZED', 401, 'Unauthorized');
  }
  let claims: VisitorClaims;
  try {
    claims = await tokens.verify(auth.token, 'visitor');
  } catch (error) {
    throw new SipError('SIP_FORBIDDEN', 403, `Forbidden - ${error instanceof SambungError ? error.message : 'invalid token'}`);
  }
  const tenant = await store.tenants.get(claims.tenantId).catch(() => null);
  const queue = tenant ? await store.queues.get(tenant.id, claims.queueId).catch(() => null) : null;
  if (!tenant || !queue) throw SipError.forbidden('Forbidden - queue no longer exists');
  const uri = req.uri;
  if (uri.user !== queue.name || uri.host !== tenant.sipDomain) {
    throw SipError.forbidden('Forbidden - visitors may only call their queue');
  }
  return { claims, tenant, queue };
}

/** The WWW-Authenticate challenge for an INVITE without credentials (RFC 8898 §3). */
export function bearerChallenge(realm: string): string {
  return `Bearer realm="${realm}"`;
}
