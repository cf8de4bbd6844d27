import express, { type Express } from 'express';
import { adminRoutes } from './admin-routes.js';
import { agentRoutes } from './agent-routes.js';
import { crmRoutes } from './crm-routes.js';
import { recordingRoutes } from './recording-routes.js';
import { deliveryRoutes } from './delivery-routes.js';
import { errorMiddleware } from './error-middleware.js';
import type { HttpDeps } from './http-deps.js';
import { staticRoutes, type WebPaths } from './static-routes.js';
import { visitorRoutes } from './visitor-routes.js';

/** The express application: REST API, health, metrics and the browser pages. */
export function createHttpApp(deps: HttpDeps, paths: WebPaths): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '32kb' }));
  // The visitor token endpoint is called from customers' websites.
  app.use('/api/visitor-token', (req, res, next) => {
    res.set('Access-Control-Allow-Origin', '*');
    res.set('Access-Control-Allow-Headers', 'Content-Type');
    res.set('Access-Control-Allow-Methods', 'POST, OPTIONS');
    if (req.method === 'OPTIONS') return void res.sendStatus(204);
    next();
  });
  // The softphone and the CRM apps run in the CRM's pages (another origin) and authenticate with bearer tokens,
  // never cookies, so any origin may call these APIs.
  app.use(['/api/agent', '/api/crm-app'], (req, res, next) => {
    res.set('Access-Control-Allow-Origin', '*');
    res.set('Access-Control-Allow-Headers', 'Authorization, Content-Type');
    res.set('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS');
    res.set('Access-Control-Max-Age', '600');
    if (req.method === 'OPTIONS') return void res.sendStatus(204);
    next();
  });
  app.get('/healthz', async (_req, res) => {
    const dbOk = await deps.store.ping().then(
      () => true,
      () => false,
    );
    res.status(dbOk ? 200 : 503).json({ status: dbOk ? 'ok' : 'degraded', database: dbOk ? 'ok' : 'unreachable' });
  });
  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });
  app.use(visitorRoutes(deps));
  app.use(agentRoutes(deps));
  app.use(crmRoutes(deps));
  app.use(adminRoutes(deps));
  app.use(recordingRoutes(deps));
  app.use(deliveryRoutes(deps));
  app.use(staticRoutes(paths));
  app.use('/api', (_req, res) => void res.status(404).json({ error: { code: 'HTTP_NOT_FOUND', message: 'no such API route' } }));
  app.use(errorMiddleware(deps.log));
  return app;
}
