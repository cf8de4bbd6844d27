import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';

/** Where the browser bundles and pages live (built by `npm run build`). */
export interface WebPaths {
  widgetDist: string;
  demoDir: string;
  softphoneDist: string;
  softphonePublic: string;
}

/**
 * The visitor loader (`/widget.js`) and its lazily loaded call bundle (`/widget/call.js`), the demo company
 * page (`/demo`) and the agent softphone (`/agent`). The loader is embedded on other sites, so it and the call
 * bundle are served with permissive CORS; pages are not.
 */
export function staticRoutes(paths: WebPaths): Router {
  const router = Router();
  const missing = (what: string) => `${what} is not built: run \`npm run build\``;
  const sendFile = (file: string, what: string, cors = false): express.RequestHandler => (_req, res) => {
    if (!existsSync(file)) return void res.status(503).type('text/plain').send(missing(what));
    if (cors) res.set('Access-Control-Allow-Origin', '*');
    res.set('Cache-Control', 'no-cache');
    res.sendFile(file);
  };
  router.get('/widget.js', sendFile(join(paths.widgetDist, 'widget.js'), 'widget.js', true));
  router.get('/widget/call.js', sendFile(join(paths.widgetDist, 'call.js'), 'widget/call.js', true));
  router.use('/widget', express.static(paths.widgetDist, { index: false, setHeaders: (res) => res.set('Access-Control-Allow-Origin', '*') }));
  router.get(['/demo', '/demo/'], sendFile(join(paths.demoDir, 'index.html'), 'the demo page'));
  router.use('/demo', express.static(paths.demoDir, { index: false }));
  router.get(['/agent', '/agent/'], sendFile(join(paths.softphonePublic, 'index.html'), 'the softphone page'));
  router.use('/agent', express.static(paths.softphoneDist, { index: false }));
  router.use('/agent', express.static(paths.softphonePublic, { index: false }));
  router.get('/', (_req, res) => res.redirect('/demo'));
  return router;
}
