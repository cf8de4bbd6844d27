import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { agentsNeeded, validateAcdConfig, type AcdConfigInput, type FieldErrors } from '../acd/index.js';
import type { AgentClaims } from '../auth/tokens.js';
import { queueInput } from '../calls/acd-service.js';
import { HttpError } from '../errors.js';
import type { Agent } from '../store/agent-repo.js';
import type { Queue } from '../store/queue-repo.js';
import { requireAgent } from './agent-routes.js';
import type { HttpDeps } from './http-deps.js';
import { validate } from './validate.js';

type AuthedRequest = Request & { agent?: AgentClaims };
const RANK = { agent: 0, supervisor: 1, admin: 2 } as const;

function requireRole(min: keyof typeof RANK) {
  return (req: AuthedRequest, _res: Response, next: NextFunction): void => {
    if (RANK[req.agent!.role] < RANK[min]) throw HttpError.forbidden(`this needs the ${min} role`);
    next();
  };
}

const slug = z.string().regex(/^[a-z0-9-]{1,63}$/, 'lower-case letters, digits and dashes');
const skillName = z.string().trim().min(1).max(100);

/** Routing settings are validated by the ACD's own schema; these are the queue's other fields. */
const queueFields = z.object({
  displayName: z.string().trim().min(1).max(100).optional(),
  mode: z.enum(['form', 'direct']).optional(),
  /** Recorded calls first hear "This call may be recorded …" (default off; absent on PUT: unchanged). */
  recordingConsent: z.boolean().optional(),
});

const agentBody = z.object({
  displayName: z.string().trim().min(1).max(100).optional(),
  role: z.enum(['agent', 'supervisor', 'admin']).optional(),
  skills: z.array(z.object({ skill: skillName, level: z.int().min(1).max(10) })).optional(),
  queues: z.array(slug).optional(),
});

const newAgentBody = agentBody.extend({
  username: z.string().regex(/^[a-z0-9._-]{1,64}$/, 'lower-case letters, digits, dot, dash, underscore'),
  displayName: z.string().trim().min(1).max(100),
  password: z.string().min(10, 'at least 10 characters').max(256),
});

const staffingBody = z.object({
  arrivalsPerMin: z.number().min(0).max(100_000),
  ahtSec: z.number().positive().max(86_400),
  serviceLevel: z.object({ percent: z.number().gt(0).lt(100), seconds: z.number().min(0).max(3600) }),
  maxOccupancy: z.number().gt(0).max(1).optional(),
});

/** The tenant's whole ACD configuration as the store holds it, to validate a change against. */
async function currentConfig(deps: HttpDeps, tenantId: string) {
  const [skills, queues, agents] = await Promise.all([
    deps.store.skills.list(tenantId),
    deps.store.queues.list(tenantId),
    deps.store.agents.list(tenantId),
  ]);
  const names = new Map(queues.map((q) => [q.id, q.name]));
  const agentInputs = await Promise.all(
    agents.map(async (a) => ({
      id: a.id,
      skills: a.skills,
      queues: (await deps.store.agents.queueIdsOf(tenantId, a.id)).map((id) => names.get(id)!).filter(Boolean),
    })),
  );
  return { skills, queues, agents, input: { skills, queues: queues.map(queueInput), agents: agentInputs } as AcdConfigInput };
}

/** Validate the whole tenant configuration with one item changed; 400 naming the fields of that item. */
function check(candidate: AcdConfigInput, prefix: string): void {
  const result = validateAcdConfig(candidate);
  if (result.ok) return;
  const mine: FieldErrors = {};
  for (const [path, messages] of Object.entries(result.fieldErrors)) {
    const key = path.startsWith(prefix) ? path.slice(prefix.length) : path;
    mine[key] = [...messages];
  }
  const summary = Object.entries(mine).map(([k, v]) => `${k}: ${v.join(', ')}`).join('; ');
  throw HttpError.badRequest(`invalid configuration: ${summary}`, mine);
}

function queueView(q: Queue) {
  const { id: _id, ...routing } = queueInput(q);
  return { ...routing, name: q.name, displayName: q.displayName, mode: q.mode, recordingConsent: q.recordingConsent };
}

function agentView(a: Agent, queueNames: string[]) {
  return { username: a.username, displayName: a.displayName, role: a.role, skills: a.skills, queues: queueNames };
}

/**
 * The admin REST API for the ACD (issue 3): queues with their routing, hours and deflections; agents with skills
 * and queues; the skill catalog; queue status and interval metrics for supervisors; the Erlang C staffing
 * calculator. Every change is validated as part of the tenant's whole configuration (unknown skills, overflow
 * loops) before anything is written, so nothing is half-saved; then the running ACD is updated.
 */
export function adminRoutes(deps: HttpDeps): Router {
  const router = Router();
  const auth = requireAgent(deps);
  const admin = [auth, requireRole('admin')];
  const supervisor = [auth, requireRole('supervisor')];

  router.get('/api/admin/queues', ...supervisor, async (req: AuthedRequest, res) => {
    res.json({ queues: (await deps.store.queues.list(req.agent!.tenantId)).map(queueView) });
  });

  router.post('/api/admin/queues', ...admin, async (req: AuthedRequest, res) => {
    const tenantId = req.agent!.tenantId;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const name = validate(slug, body['name']);
    const fields = validate(queueFields.extend({ displayName: z.string().trim().min(1).max(100), mode: z.enum(['form', 'direct']) }), body);
    const { displayName: _d, mode: _m, name: _n, recordingConsent: _c, ...routing } = body;
    const config = await currentConfig(deps, tenantId);
    if (config.queues.some((q) => q.name === name)) throw HttpError.badRequest(`queue "${name}" exists`, { name: ['already exists'] });
    const candidate = { ...routing, id: name, name };
    check({ ...config.input, queues: [...config.input.queues, candidate] }, `queues.${config.input.queues.length}.`);
    const { ringTimeoutSec, ...acdConfig } = routing as { ringTimeoutSec?: number };
    const queue = await deps.store.queues.create({
      tenantId,
      name,
      displayName: fields.displayName,
      mode: fields.mode,
      ringTimeoutSec,
      acdConfig,
      recordingConsent: fields.recordingConsent ?? false,
    });
    await deps.acd.syncQueue(queue);
    res.status(201).json(queueView(queue));
  });

  router.put('/api/admin/queues/:name', ...admin, async (req: AuthedRequest, res) => {
    const tenantId = req.agent!.tenantId;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const fields = validate(queueFields, body);
    const { displayName: _d, mode: _m, name: _n, recordingConsent: _c, ...routing } = body;
    const config = await currentConfig(deps, tenantId);
    const index = config.queues.findIndex((q) => q.name === req.params['name']);
    if (index < 0) throw HttpError.notFound(`no queue "${req.params['name']}"`);
    const queue = config.queues[index]!;
    const candidate = { ...routing, id: queue.name, name: queue.name };
    const queues = config.input.queues.map((q, i) => (i === index ? candidate : q));
    check({ ...config.input, queues }, `queues.${index}.`);
    const { ringTimeoutSec, ...acdConfig } = routing as { ringTimeoutSec?: number };
    const updated = await deps.store.queues.update(tenantId, queue.id, { ...fields, ringTimeoutSec: ringTimeoutSec ?? 20, acdConfig });
    await deps.acd.syncQueue(updated);
    res.json(queueView(updated));
  });

  router.get('/api/admin/queues/:name/status', ...supervisor, async (req: AuthedRequest, res) => {
    const engine = await deps.acd.engine(req.agent!.tenantId);
    const name = String(req.params['name']);
    if (!(await deps.store.queues.findByName(req.agent!.tenantId, name))) throw HttpError.notFound(`no queue "${name}"`);
    res.json({ status: engine.queueStatus(name), waiting: engine.waitingCalls(name) });
  });

  router.get('/api/admin/agents', ...supervisor, async (req: AuthedRequest, res) => {
    const config = await currentConfig(deps, req.agent!.tenantId);
    res.json({ agents: config.agents.map((a, i) => agentView(a, config.input.agents[i]!.queues as string[])) });
  });

  router.post('/api/admin/agents', ...admin, async (req: AuthedRequest, res) => {
    const tenantId = req.agent!.tenantId;
    const body = validate(newAgentBody, req.body);
    const config = await currentConfig(deps, tenantId);
    if (config.agents.some((a) => a.username === body.username)) throw HttpError.badRequest('username taken', { username: ['already exists'] });
    const input = { id: `new:${body.username}`, skills: body.skills ?? [], queues: body.queues ?? [] };
    check({ ...config.input, agents: [...config.input.agents, input] }, `agents.${config.input.agents.length}.`);
    const tenant = await deps.store.tenants.get(tenantId);
    const agent = await deps.store.agents.create({
      tenantId,
      username: body.username,
      displayName: body.displayName,
      password: body.password,
      realm: tenant.sipDomain,
      role: body.role ?? 'agent',
      skills: input.skills,
      queueIds: input.queues.map((n) => config.queues.find((q) => q.name === n)!.id),
    });
    await deps.acd.syncAgent(agent);
    res.status(201).json(agentView(agent, input.queues));
  });

  router.put('/api/admin/agents/:username', ...admin, async (req: AuthedRequest, res) => {
    const tenantId = req.agent!.tenantId;
    const body = validate(agentBody, req.body);
    const config = await currentConfig(deps, tenantId);
    const index = config.agents.findIndex((a) => a.username === req.params['username']);
    if (index < 0) throw HttpError.notFound(`no agent "${req.params['username']}"`);
    const before = config.input.agents[index]!;
    const input = { id: before.id, skills: body.skills ?? before.skills ?? [], queues: body.queues ?? before.queues ?? [] };
    check({ ...config.input, agents: config.input.agents.map((a, i) => (i === index ? input : a)) }, `agents.${index}.`);
    const agent = await deps.store.agents.update(tenantId, config.agents[index]!.id, {
      displayName: body.displayName,
      role: body.role,
      skills: input.skills,
      queueIds: (input.queues as string[]).map((n) => config.queues.find((q) => q.name === n)!.id),
    });
    await deps.acd.syncAgent(agent);
    res.json(agentView(agent, input.queues as string[]));
  });

  router.get('/api/admin/skills', ...supervisor, async (req: AuthedRequest, res) => {
    res.json({ skills: await deps.store.skills.list(req.agent!.tenantId) });
  });

  /** Replace the skill catalog; removing a skill a queue or agent still uses is refused, naming them. */
  router.put('/api/admin/skills', ...admin, async (req: AuthedRequest, res) => {
    const tenantId = req.agent!.tenantId;
    const { skills } = validate(z.object({ skills: z.array(skillName).max(500) }), req.body);
    const config = await currentConfig(deps, tenantId);
    check({ ...config.input, skills }, '');
    const removed = config.skills.filter((s) => !skills.includes(s));
    await deps.store.skills.add(tenantId, skills);
    for (const s of removed) await deps.store.skills.remove(tenantId, s);
    await deps.acd.syncSkills(tenantId);
    res.json({ skills: await deps.store.skills.list(tenantId) });
  });

  /** Per-queue interval metrics: the saved intervals, plus the open one from the running ACD. */
  router.get('/api/admin/metrics', ...supervisor, async (req: AuthedRequest, res) => {
    const tenantId = req.agent!.tenantId;
    const engine = await deps.acd.engine(tenantId);
    await deps.acd.flushMetrics(tenantId);
    const open = engine.metricsRows({ includeOpen: true, remove: false });
    deps.acd.run(tenantId, open.effects);
    const queues = await deps.store.queues.list(tenantId);
    const saved = await deps.store.queueMetrics.list(tenantId);
    res.json({
      intervals: [
        ...saved.map((r) => ({ ...r.data, queue: queues.find((q) => q.id === r.queueId)?.name, open: false })),
        ...open.queues.map((r) => ({ ...r, queue: r.queueId, open: true })),
      ],
      agents: open.agents,
    });
  });

  /** Erlang C: agents needed for an arrival rate, handle time and service-level target. */
  router.post('/api/admin/staffing', ...supervisor, (req, res) => {
    const body = validate(staffingBody, req.body);
    res.json(
      agentsNeeded({
        arrivalsPerMin: body.arrivalsPerMin,
        ahtSec: body.ahtSec,
        targetServiceLevel: body.serviceLevel.percent / 100,
        targetSec: body.serviceLevel.seconds,
        ...(body.maxOccupancy === undefined ? {} : { maxOccupancy: body.maxOccupancy }),
      }),
    );
  });

  return router;
}
