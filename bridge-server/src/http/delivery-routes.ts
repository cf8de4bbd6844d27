import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AgentClaims } from '../auth/tokens.js';
import { HttpError } from '../errors.js';
import type { Outbox } from '../recordings/outbox/outbox.js';
import { requireAgent } from './agent-routes.js';
import type { HttpDeps } from './http-deps.js';
import { validate } from './validate.js';

type AuthedRequest = Request & { agent?: AgentClaims };

const filter = z.object({
  state: z.enum(['pending', 'running', 'done', 'parked', 'waiting-auth']).optional(),
  kind: z.string().max(50).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/**
 * Deliveries to the CRM as an operator sees them (issue 4): each job's state and history, whether the CRM needs
 * reconnecting (401s), and retrying a parked job or every job that waited for credentials.
 */
export function deliveryRoutes(deps: HttpDeps & { outbox: Outbox }): Router {
  const router = Router();
  const auth = requireAgent(deps);
  const supervisor = (req: AuthedRequest) => {
    if (req.agent!.role === 'agent') throw HttpError.forbidden('this needs the supervisor role');
    return req.agent!.tenantId;
  };
  const admin = (req: AuthedRequest) => {
    if (req.agent!.role !== 'admin') throw HttpError.forbidden('this needs the admin role');
    return req.agent!.tenantId;
  };

  router.get('/api/admin/deliveries', auth, async (req: AuthedRequest, res) => {
    const tenantId = supervisor(req);
    const f = validate(filter, req.query);
    res.json({ status: await deps.outbox.status(tenantId), jobs: await deps.outbox.jobs(tenantId, f) });
  });

  router.get('/api/admin/deliveries/:id', auth, async (req: AuthedRequest, res) => {
    res.json(await deps.outbox.job(supervisor(req), String(req.params['id'])));
  });

  router.post('/api/admin/deliveries/:id/retry', auth, async (req: AuthedRequest, res) => {
    res.json(await deps.outbox.retry(admin(req), String(req.params['id'])));
  });

  /** After the CRM's credentials were fixed: every job that waited for them runs now. */
  router.post('/api/admin/deliveries/reconnected', auth, async (req: AuthedRequest, res) => {
    res.json({ resumed: await deps.outbox.reconnected(admin(req)) });
  });

  return router;
}
