/**
 * The CRM connection API:
 * - admin: `GET|PUT|DELETE /api/admin/crm` (connect with settings and credentials — checked against the CRM,
 *   stored sealed, never returned), `POST /api/admin/crm/app-key` (the key the CRM app presents, shown once),
 *   `GET /api/admin/crm/agents` and `PUT|DELETE /api/admin/crm/agents/:username` (agent ↔ CRM user),
 *   `GET /api/admin/crm/users` (the CRM's staff who can take calls, to pick each agent's CRM user from:
 *   `{users: [{id, name, email, role}], truncated, listable}` sorted by name; 404 without a CRM, 409 when the CRM
 *   refuses the credentials, 502 naming the CRM and its reason on any other CRM failure);
 * - agent: `POST /api/agent/calls/:callId/screen-pop` — the answering agent's softphone asks for the screen pop
 *   (`crm/screen-pop.ts`); with `{ record }` it displays the candidate the agent picked;
 * - CRM app: `GET /api/crm-app/recent-calls?contact_id=` with `Authorization: Bearer <app key>` — a contact's
 *   recent calls for the CRM's sidebar, recordings as signed links.
 */
import { Router, type Response } from 'express';
import { z } from 'zod';
import { isCrmError, type CrmError } from '../crm/crm-error.js';
import type { CrmUser } from '../crm/crm-user-directory.js';
import { displayChoice, screenPop, type ScreenPopOutcome } from '../crm/screen-pop.js';
import { HttpError } from '../errors.js';
import { requireAgent } from './agent-routes.js';
import type { HttpDeps } from './http-deps.js';
import { requireRole, type AuthedRequest } from './roles.js';
import { validate } from './validate.js';

const linkBody = z.object({ crmUserId: z.string().trim().min(1).max(64) });
const chooseBody = z.object({
  /** The CRM user the softphone runs as (ZAF `currentUser`): only a hint for the admin, never trusted for display. */
  zendeskAgentId: z.string().regex(/^\d{1,20}$/).optional(),
  record: z
    .object({ type: z.enum(['contact', 'ticket']), id: z.string().trim().min(1).max(64), label: z.string().max(300).default('') })
    .optional(),
});
const recentQuery = z.object({
  contact_id: z.string().trim().min(1).max(64),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export function crmRoutes(deps: HttpDeps): Router {
  const router = Router();
  const auth = requireAgent(deps);
  const admin = [auth, requireRole('admin')];

  router.get('/api/admin/crm', ...admin, async (req: AuthedRequest, res) => {
    res.json({ connection: await deps.crm.status(req.agent!.tenantId), deliveries: await deps.outbox.status(req.agent!.tenantId) });
  });

  router.put('/api/admin/crm', ...admin, async (req: AuthedRequest, res) => {
    const tenantId = req.agent!.tenantId;
    const connection = await deps.crm.connect(tenantId, req.body);
    res.json({ connection, resumedDeliveries: await deps.outbox.reconnected(tenantId) });
  });

  router.delete('/api/admin/crm', ...admin, async (req: AuthedRequest, res) => {
    if (!(await deps.crm.disconnect(req.agent!.tenantId))) throw HttpError.notFound('no CRM is connected');
    res.status(204).end();
  });

  router.post('/api/admin/crm/app-key', ...admin, async (req: AuthedRequest, res) => {
    const appKey = await deps.crm.newAppKey(req.agent!.tenantId);
    if (!appKey) throw HttpError.notFound('connect a CRM first');
    res.status(201).json({ appKey });
  });

  router.get('/api/admin/crm/agents', ...admin, async (req: AuthedRequest, res) => {
    const tenantId = req.agent!.tenantId;
    const agents = new Map((await deps.store.agents.list(tenantId)).map((a) => [a.id, a.username]));
    const links = await deps.store.crm.agentLinks(tenantId);
    res.json({ links: links.map((l) => ({ username: agents.get(l.agentId) ?? null, crmUserId: l.crmUserId })) });
  });

  router.get('/api/admin/crm/users', ...admin, async (req: AuthedRequest, res) => {
    const tenantId = req.agent!.tenantId;
    const status = await deps.crm.status(tenantId);
    if (!status) throw HttpError.notFound('connect a CRM first');
    const crm = deps.crm.displayName(status.kind);
    const directory = await deps.crm.listAgents(tenantId).catch((error: unknown) => {
      throw isCrmError(error) ? listingFailure(crm, error) : error;
    });
    if (!directory) throw HttpError.notFound('connect a CRM first');
    res.set('Cache-Control', 'private, no-store').json({
      users: sortByName(directory.users).map((u) => ({ id: u.id, name: u.name, email: u.email, role: u.role })),
      truncated: directory.truncated,
      listable: directory.listable,
    });
  });

  router.put('/api/admin/crm/agents/:username', ...admin, async (req: AuthedRequest, res) => {
    const tenantId = req.agent!.tenantId;
    const { crmUserId } = validate(linkBody, req.body);
    const agent = await deps.store.agents.findByUsername(tenantId, String(req.params['username']));
    if (!agent) throw HttpError.notFound('no such agent');
    // One CRM user stands for one agent: the screen pop opens in that user's browser and the call log names them.
    const holder = await deps.store.crm.agentOfCrmUser(tenantId, crmUserId, agent.id);
    if (holder) {
      const other = await deps.store.agents.get(tenantId, holder).catch(() => null);
      throw HttpError.conflict(`CRM user ${crmUserId} is already mapped to ${other?.username ?? 'another agent'}: unmap them first`);
    }
    await deps.store.crm.linkAgent(tenantId, agent.id, crmUserId);
    res.json({ username: agent.username, crmUserId });
  });

  router.delete('/api/admin/crm/agents/:username', ...admin, async (req: AuthedRequest, res) => {
    const tenantId = req.agent!.tenantId;
    const agent = await deps.store.agents.findByUsername(tenantId, String(req.params['username']));
    if (!agent || !(await deps.store.crm.unlinkAgent(tenantId, agent.id))) throw HttpError.notFound('no such link');
    res.status(204).end();
  });

  router.post('/api/agent/calls/:callId/screen-pop', auth, async (req: AuthedRequest, res) => {
    const { tenantId, agentId, username } = req.agent!;
    const callId = String(req.params['callId']);
    const { record, zendeskAgentId } = validate(chooseBody, req.body ?? {});
    const call = await answeredBy(deps, tenantId, callId, agentId);
    if (!call) throw HttpError.notFound('no call of yours with this id');
    const log = deps.log.child({ tenantId, callId, agent: username });
    const reply = (outcome: ScreenPopOutcome): void => {
      if (outcome.kind === 'none') log.info({ reason: outcome.reason, zendeskAgentId }, 'no screen pop');
      sendOutcome(res, outcome);
    };
    const conn = await deps.crm.connection(tenantId);
    if (!conn) return reply({ kind: 'none', reason: (await deps.crm.status(tenantId)) ? 'the CRM needs reconnecting' : 'no CRM is connected' });
    const crmUserId = await deps.store.crm.crmUserOf(tenantId, agentId);
    try {
      if (record) {
        if (crmUserId === null) return reply({ kind: 'none', reason: `the agent has no ${conn.kind} user mapping: ask an admin to map them` });
        await displayChoice(conn, crmUserId, record);
        if (record.type === 'contact') await deps.store.crm.setCallContact(tenantId, callId, record.id);
        return reply({ kind: 'opened', record, contactId: record.type === 'contact' ? record.id : '' });
      }
      const outcome = await screenPop(conn, {
        callId,
        caller: { name: call.callerName || null, phone: call.callerPhone || null, email: call.callerEmail },
        at: call.offeredAt,
        crmUserId,
      });
      if (outcome.kind === 'opened' || outcome.kind === 'created') await deps.store.crm.setCallContact(tenantId, callId, outcome.contactId);
      reply(outcome);
    } catch (error) {
      if (!isCrmError(error)) throw error;
      reply({ kind: 'none', reason: `${conn.kind}: ${error.message}` });
    }
  });

  router.get('/api/crm-app/recent-calls', async (req, res) => {
    const key = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    const tenantId = key ? await deps.crm.tenantOfAppKey(key) : null;
    if (!tenantId) throw HttpError.unauthorized('a valid CRM app key is required');
    const q = validate(recentQuery, req.query);
    const calls = [];
    for (const id of await deps.store.crm.callsOfContact(tenantId, q.contact_id, q.limit)) {
      const call = await deps.store.calls.get(tenantId, id);
      const queue = await deps.store.queues.get(tenantId, call.queueId).catch(() => null);
      const agent = call.agentId ? await deps.store.agents.get(tenantId, call.agentId).catch(() => null) : null;
      calls.push({
        callId: call.id,
        startedAt: call.offeredAt.toISOString(),
        direction: 'inbound',
        queue: queue?.displayName ?? '',
        agent: agent?.displayName ?? null,
        durationSec: Math.round(call.talkSeconds ?? 0),
        outcome: call.endReason ?? 'in-progress',
        recordingUrl: await deps.recordingLinkOf(tenantId, call.id),
      });
    }
    res.set('Cache-Control', 'private, no-store').json({ calls });
  });

  return router;
}

/**
 * The call, once the bridge has recorded `agentId` answering it. The softphone asks right after it sent its 200
 * OK, which may reach us a moment before the CDR says so: an open, unanswered call is read again for up to 2 s.
 */
async function answeredBy(deps: HttpDeps, tenantId: string, callId: string, agentId: string) {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const call = await deps.store.calls.get(tenantId, callId).catch(() => null);
    if (!call || call.endedAt !== null || call.agentId !== null) return call?.agentId === agentId ? call : null;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}

/** 409 when the CRM refuses our credentials (the admin must reconnect it), else 502 with the CRM's reason. */
function listingFailure(crm: string, error: CrmError): HttpError {
  if (error.kind === 'auth') return HttpError.conflict(`${crm} refused the credentials: reconnect ${crm}`);
  return HttpError.badGateway(`${crm} could not list its agents: ${error.message}`, error);
}

const byName = new Intl.Collator(undefined, { sensitivity: 'accent' });

/** By name, ignoring case (locale-aware), then by id so equal names keep a stable order. */
function sortByName(users: readonly CrmUser[]): CrmUser[] {
  return [...users].sort((a, b) => byName.compare(a.name, b.name) || a.id.localeCompare(b.id, undefined, { numeric: true }));
}

function sendOutcome(res: Response, outcome: ScreenPopOutcome): void {
  if (outcome.kind === 'opened' || outcome.kind === 'created') {
    res.json({ kind: outcome.kind, record: outcome.record });
  } else res.json(outcome);
}
