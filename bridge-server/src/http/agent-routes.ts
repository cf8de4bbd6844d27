import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AgentClaims } from '../auth/tokens.js';
import { HttpError } from '../errors.js';
import { sipEndpoints, type HttpDeps } from './http-deps.js';
import { validate } from './validate.js';

const loginBody = z.object({
  tenant: z.string().regex(/^[a-z0-9-]{1,63}$/, 'must be a tenant slug'),
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});

const stateBody = z.object({
  state: z.enum(['available', 'away']),
  reason: z.enum(['break', 'lunch', 'training', 'meeting']).optional(),
});

type AuthedRequest = Request & { agent?: AgentClaims };

/** Bearer authentication for the agent API. */
export function requireAgent(deps: HttpDeps) {
  return async (req: AuthedRequest, _res: Response, next: NextFunction): Promise<void> => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw HttpError.unauthorized('missing bearer token');
    req.agent = await deps.tokens.verify(match[1]!, 'agent');
    next();
  };
}

/** The softphone's API: password login (scrypt), availability, profile, the tenant's call log. */
export function agentRoutes(deps: HttpDeps): Router {
  const router = Router();
  const auth = requireAgent(deps);

  router.post('/api/agent/login', async (req, res) => {
    const body = validate(loginBody, req.body);
    const tenant = await deps.store.tenants.findBySlug(body.tenant);
    const agent = tenant ? await deps.store.agents.verifyLogin(tenant.id, body.username, body.password) : null;
    if (!tenant || !agent) throw HttpError.unauthorized('wrong tenant, username or password');
    const queueIds = await deps.store.agents.queueIdsOf(tenant.id, agent.id);
    const queues = (await deps.store.queues.list(tenant.id)).filter((q) => queueIds.includes(q.id));
    const aor = `sip:${agent.username}@${tenant.sipDomain}`;
    deps.roster.upsert({ agentId: agent.id, tenantId: tenant.id, username: agent.username, displayName: agent.displayName, aor });
    await deps.acd.engine(tenant.id);
    const { token, expiresAt } = await deps.tokens.sign(
      { kind: 'agent', tenantId: tenant.id, agentId: agent.id, username: agent.username, role: agent.role },
      deps.config.agentTokenTtlSec,
    );
    res.json({
      token,
      expiresAt: expiresAt.toISOString(),
      agent: { id: agent.id, username: agent.username, displayName: agent.displayName, role: agent.role },
      sip: { wsUrl: sipEndpoints(req).wsUrl, domain: tenant.sipDomain, uri: aor, authorizationUser: agent.username },
      iceServers: deps.config.media.iceServers,
      queues: queues.map((q) => ({ name: q.name, displayName: q.displayName })),
    });
  });

  /** The agent's ACD state (offline, available, reserved, on-call, wrap-up, away + reason) and registration. */
  router.get('/api/agent/me', auth, async (req: AuthedRequest, res) => {
    const claims = req.agent!;
    await deps.acd.engine(claims.tenantId);
    const view = deps.acd.agentView(claims.tenantId, claims.agentId);
    const profile = deps.roster.get(claims.agentId);
    res.json({
      id: claims.agentId,
      username: claims.username,
      role: claims.role,
      state: view?.state ?? 'offline',
      awayReason: view?.awayReason ?? null,
      wish: deps.acd.wish(claims.agentId),
      registered: profile ? deps.isRegistered(profile.aor) : false,
      callsToday: view?.callsToday ?? 0,
      ...(view?.wrapUpEndsAt ? { wrapUpEndsAt: new Date(view.wrapUpEndsAt).toISOString() } : {}),
    });
  });

  router.put('/api/agent/state', auth, async (req: AuthedRequest, res) => {
    const body = validate(stateBody, req.body);
    const claims = req.agent!;
    await deps.acd.setWish(claims.tenantId, claims.agentId, { state: body.state, reason: body.state === 'away' ? body.reason ?? 'break' : null });
    const view = deps.acd.agentView(claims.tenantId, claims.agentId);
    res.json({ state: view?.state ?? 'offline', wish: deps.acd.wish(claims.agentId) });
  });

  router.get('/api/calls', auth, async (req: AuthedRequest, res) => {
    const limit = validate(z.coerce.number().int().min(1).max(500).default(50), req.query['limit']);
    res.json({ calls: await deps.store.calls.list(req.agent!.tenantId, { limit }) });
  });

  router.get('/api/calls/active', auth, (req: AuthedRequest, res) => {
    res.json({ calls: deps.activeCalls(req.agent!.tenantId) });
  });

  return router;
}
