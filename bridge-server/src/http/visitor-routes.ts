import { randomUUID } from 'node:crypto';
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { VisitorClaims } from '../auth/tokens.js';
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
  const visitor = async (req: Request & { visitor?: VisitorClaims }, _res: Response, next: NextFunction) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    if (!match) throw HttpError.unauthorized('missing visitor token');
    req.visitor = await deps.tokens.verify(match[1]!, 'visitor');
    next();
  };
  const CALLBACK_HORIZON_MS = 7 * 24 * 3600_000;

  /** Callback slots inside the visitor's queue's business hours for the next week. */
  router.get('/api/visitor/callback-slots', visitor, async (req: Request & { visitor?: VisitorClaims }, res) => {
    const claims = req.visitor!;
    const engine = await deps.acd.engine(claims.tenantId);
    const queue = await deps.store.queues.get(claims.tenantId, claims.queueId);
    const now = Date.now();
    const slots = engine.callbackSlots(queue.name, now, now + CALLBACK_HORIZON_MS).slice(0, 500);
    const hours = (queue.acdConfig['businessHours'] as { timeZone?: string } | null | undefined) ?? null;
    res.json({ slots: slots.map((t) => new Date(t).toISOString()), timeZone: hours?.timeZone ?? 'UTC' });
  });

  /** Book a callback at one of the offered slots; it is kept in the store and offered to agents when due. */
  router.post('/api/visitor/callbacks', visitor, async (req: Request & { visitor?: VisitorClaims }, res) => {
    const claims = req.visitor!;
    const body = validate(
      z.object({ at: z.iso.datetime({ offset: true }), phone: visitorTokenBody.shape.phone.optional() }),
      req.body,
    );
    const phone = body.phone || claims.phone;
    if (!phone) throw HttpError.badRequest('a phone number is needed to call you back', { phone: ['required'] });
    const engine = await deps.acd.engine(claims.tenantId);
    const queue = await deps.store.queues.get(claims.tenantId, claims.queueId);
    const at = Date.parse(body.at);
    const now = Date.now();
    if (!engine.callbackSlots(queue.name, now, now + CALLBACK_HORIZON_MS).includes(at)) {
      throw HttpError.badRequest('that time is no longer available', { at: ['that time is no longer available'] });
    }
    const callback = await deps.store.callbacks.create({
      tenantId: claims.tenantId,
      queueId: queue.id,
      callerName: claims.name,
      callerPhone: phone,
      callerEmail: claims.email || null,
      dueAt: new Date(at),
    });
    deps.acd.run(
      claims.tenantId,
      engine.scheduleCallback({
        callbackId: callback.id,
        queueId: queue.name,
        at,
        data: { visitorId: claims.visitorId, name: claims.name, phone, email: claims.email, callbackId: callback.id },
      }),
    );
    res.status(201).json({ id: callback.id, at: new Date(at).toISOString() });
  });

  /** "Keep my place and call me back": the waiting call keeps its place and becomes a callback. */
  router.post('/api/visitor/keep-place', visitor, async (req: Request & { visitor?: VisitorClaims }, res) => {
    const claims = req.visitor!;
    const body = validate(z.object({ callId: z.string().min(1).max(200), phone: visitorTokenBody.shape.phone.optional() }), req.body);
    const phone = body.phone || claims.phone;
    if (!phone) throw HttpError.badRequest('a phone number is needed to call you back', { phone: ['required'] });
    if (!deps.keepPlace(claims.tenantId, claims.visitorId, body.callId, phone)) throw HttpError.notFound('no waiting call with that Call-ID');
    res.json({ ok: true });
  });

  return router;
}
