import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { HttpError } from '../errors.js';
import { sipEndpoints, type HttpDeps } from './http-deps.js';
import { validate } from './validate.js';

/** No control characters (C0, DEL, C1) in anything a visitor types: it travels into SIP headers and CRMs. */
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `at most ${max} characters`)
    .refine((v) => !/[\u0000-\u001f\u007f-\u009f]/.test(v), 'must not contain control characters');

const visitorTokenBody = z.object({
  tenant: z.string().regex(/^[a-z0-9-]{1,63}$/, 'must be a tenant slug'),
  queue: z.string().regex(/^[a-z0-9-]{1,63}$/, 'must be a queue name'),
  name: text(80).optional().default(''),
  phone: text(32)
    .refine((v) => v === '' || /^\+?[0-9 ()-]{6,32}$/.test(v), 'must be a phone number')
    .refine((v) => v === '' || /^(\D*\d){6,15}\D*$/.test(v), 'must have 6 to 15 digits')
    .optional()
    .default(''),
  email: z
    .union([z.literal(''), z.string().trim().max(254).pipe(z.email('must be an e-mail address'))])
    .optional()
    .default(''),
});

/**
 * `POST /api/visitor-token`: a short-lived token scoped to exactly one queue. The caller details are validated
 * here and sealed into the token; the bridge reads them from the token when the INVITE arrives.
 */
export function visitorRoutes(deps: HttpDeps): Router {
  const router = Router();
  router.post('/api/visitor-token', async (req, res) => {
    const body = validate(visitorTokenBody, req.body);
    const tenant = await deps.store.tenants.findBySlug(body.tenant);
    const queue = tenant ? await deps.store.queues.findByName(tenant.id, body.queue) : undefined;
    if (!tenant || !queue) throw HttpError.notFound(`no queue "${body.queue}" for tenant "${body.tenant}"`);
    if (queue.mode === 'form') {
      const missing: Record<string, string[]> = {};
      if (!body.name) missing['name'] = ['required for this queue'];
      if (!body.phone) missing['phone'] = ['required for this queue'];
      if (Object.keys(missing).length) throw HttpError.badRequest('this queue asks who is calling', missing);
    }
    const visitorId = randomUUID();
    const { token, expiresAt } = await deps.tokens.sign(
      {
        kind: 'visitor',
        tenantId: tenant.id,
        queueId: queue.id,
        queueName: queue.name,
        visitorId,
        name: body.name,
        phone: body.phone,
        email: body.email,
      },
      deps.config.visitorTokenTtlSec,
    );
    const domain = tenant.sipDomain;
    res.json({
      token,
      expiresAt: expiresAt.toISOString(),
      sip: {
        wsUrl: sipEndpoints(req).wsUrl,
        domain,
        queueUri: `sip:${queue.name}@${domain}`,
        visitorUri: `sip:visitor-${visitorId.slice(0, 8)}@${domain}`,
        displayName: body.name || 'Web visitor',
      },
      iceServers: deps.config.media.iceServers,
    });
  });
  return router;
}
