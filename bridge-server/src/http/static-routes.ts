import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';

/** Where the browser bundles and pages live (built by `npm run build`). */
export interface WebPaths {
  widgetDist: string;
  demoDir: string;
  softphoneDist: string;
  softphonePublic: string;
  /** `admin/dist` (admin.js) and `admin/public` (index.html, admin.css): the admin console at `/admin`. */
  adminDist: string;
  adminPublic: string;
}

/**
 * The admin console handles an admin's password and bearer token: only its own scripts and styles, its own API,
 * no framing (clickjacking), no native form submission.
 */
const ADMIN_PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/**
 * The visitor loader (`/widget.js`) and its lazily loaded call bundle (`/widget/call.js`), the demo company
 * page (`/demo`), the agent softphone (`/agent`) and the admin console (`/admin`). The loader is embedded on
 * other sites, so it and the call bundle are served with permissive CORS; pages are not.
 */
export function staticRoutes(paths: WebPaths): Router {
  const router = Router();
  const missing = (what: string) => `${what} is not built: run \`npm run build\``;
  const sendFile = (file: string, what: string, cors = false, headers: Record<string, string> = {}): express.RequestHandler => (_req, res) => {
    if (!existsSync(file)) return void res.status(503).type('text/plain').send(missing(what));
    if (cors) res.set('Access-Control-Allow-Origin', '*');
    res.set(headers);
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
  router.get(['/admin', '/admin/'], sendFile(join(paths.adminPublic, 'index.html'), 'the admin console', false, ADMIN_PAGE_HEADERS));
  router.use('/admin', express.static(paths.adminDist, { index: false }));
  router.use('/admin', express.static(paths.adminPublic, { index: false }));
  router.get('/', (_req, res) => res.redirect('/demo'));
  return router;
}
