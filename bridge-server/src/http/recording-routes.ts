import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AgentClaims, RecordingClaims, TokenService } from '../auth/tokens.js';
import { HttpError, SambungError } from '../errors.js';
import { requireAgent } from './agent-routes.js';
import type { HttpDeps } from './http-deps.js';
import { validate } from './validate.js';

type AuthedRequest = Request & { agent?: AgentClaims };

/** How long a recording link stays valid (CRMs fetch at once; supervisors play soon after). */
const LINK_TTL_SEC = 15 * 60;

/**
 * Recording access (issue 4): supervisors and the delivery pipeline obtain expiring signed links; the link
 * serves one part with HTTP Range (206, 416 outside the file). Every access — served or refused — is audited.
 * A link that is expired, forged, or names another tenant's recording gets 403, never a hint that it exists.
 */
export function recordingRoutes(deps: HttpDeps): Router {
  const router = Router();
  const auth = requireAgent(deps);

  router.post('/api/recordings/:id/links', auth, async (req: AuthedRequest, res) => {
    const claims = req.agent!;
    if (claims.role === 'agent') throw HttpError.forbidden('only supervisors and admins may play recordings');
    const id = validate(z.string().uuid('must be a recording id'), req.params['id']);
    const parts = await deps.recordings.parts(claims.tenantId, id);
    if (parts === null) throw HttpError.notFound('no such recording');
    res.json({
      parts: await Promise.all(
        parts.map(async (_p, i) => {
          const base = `${req.protocol}://${req.get('host')}`;
          const link = await recordingLink(deps.tokens, base, { tenantId: claims.tenantId, recordingId: id, part: i + 1, issuedTo: `agent:${claims.username}` });
          return { part: i + 1, ...link };
        }),
      ),
    });
  });

  router.get('/recordings/:token', async (req, res) => {
    const token = String(req.params['token']).replace(/\.wav$/, '');
    let claims: RecordingClaims;
    try {
      claims = await deps.tokens.verify(token, 'recording');
    } catch (error) {
      await deps.recordings.audit({ tenantId: null, recordingId: null, who: 'unknown', outcome: 'denied', reason: reasonOf(error) });
      throw HttpError.forbidden('this recording link is not valid');
    }
    const path = await deps.recordings.partPath(claims.tenantId, claims.recordingId, claims.part);
    if (!path) {
      await deps.recordings.audit({ tenantId: claims.tenantId, recordingId: claims.recordingId, who: claims.issuedTo, outcome: 'denied', reason: 'not found for this tenant' });
      throw HttpError.forbidden('this recording link is not valid');
    }
    await deps.recordings.audit({
      tenantId: claims.tenantId,
      recordingId: claims.recordingId,
      who: claims.issuedTo,
      outcome: 'served',
      reason: req.get('range') ? `range ${req.get('range')}` : 'whole part',
    });
    res.set('Cache-Control', 'private, no-store');
    res.type('audio/wav');
    res.sendFile(path, { acceptRanges: true, dotfiles: 'allow' });
  });

  return router;
}

/** A signed, expiring URL for one recording part (used for supervisors and by CRM deliveries). */
export async function recordingLink(
  tokens: TokenService,
  baseUrl: string,
  claims: Omit<RecordingClaims, 'kind'>,
): Promise<{ url: string; expiresAt: string }> {
  const { token, expiresAt } = await tokens.sign({ kind: 'recording', ...claims }, LINK_TTL_SEC);
  return { url: `${baseUrl}/recordings/${token}.wav`, expiresAt: expiresAt.toISOString() };
}

function reasonOf(error: unknown): string {
  return error instanceof SambungError ? error.message : 'invalid token';
}
