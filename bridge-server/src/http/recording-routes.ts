import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AgentClaims, RecordingClaims, TokenService } from '../auth/tokens.js';
import { HttpError, SambungError } from '../errors.js';
import { RecordingError, sealedPartId, SealedPartReader } from '../recordings/index.js';
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
 * Parts are encrypted at rest: they are decrypted on the fly, and byte ranges of the plaintext WAV are mapped
 * onto the chunks that hold them ({@link SealedPartReader}), so only those are read and decrypted.
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
      reason: `${req.method === 'HEAD' ? 'HEAD ' : ''}${req.get('range') ? `range ${req.get('range')}` : 'whole part'}`,
    });
    const reader = await SealedPartReader.open(path, deps.recordingKey, { partId: sealedPartId(claims.recordingId, claims.part) });
    try {
      await servePart(req, res, reader);
    } catch (error) {
      if (!res.headersSent) throw error;
      // The body was under way: the client sees it cut short. A client that went away is not an error.
      if (error instanceof RecordingError) {
        deps.log.error({ err: error, recordingId: claims.recordingId, part: claims.part }, 'serving a recording part failed');
      }
    } finally {
      await reader.close();
    }
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

/**
 * One part as `audio/wav`, whole (200) or one byte range of it (206 with Content-Range; RFC 9110 §14). An
 * unsatisfiable range gets 416 with a Content-Range naming the size (§15.5.17); several ranges, or one that
 * does not parse, get the whole part (a server may ignore Range, §14.2). `If-Range` naming another version
 * than the encrypted file's ETag or Last-Modified also gets the whole part (§13.1.5). HEAD gets the same
 * headers without a body. Sizes are the plaintext's.
 */
async function servePart(req: Request, res: Response, reader: SealedPartReader): Promise<void> {
  const size = reader.size;
  const { bytes, modifiedAt } = reader.file;
  const etag = `"${modifiedAt.getTime().toString(36)}-${bytes.toString(36)}"`;
  const lastModified = modifiedAt.toUTCString();
  const ifRange = req.get('if-range');
  const range = ifRange === undefined || ifRange === etag || ifRange === lastModified ? req.range(size, { combine: true }) : undefined;
  const headers = { 'Cache-Control': 'private, no-store', 'Accept-Ranges': 'bytes', ETag: etag, 'Last-Modified': lastModified };
  if (range === -1) {
    res.status(416).set({ ...headers, 'Content-Range': `bytes */${size}` }).end();
    return;
  }
  const partial = Array.isArray(range) && range.type === 'bytes' && range.length === 1 ? range[0]! : undefined;
  const start = partial?.start ?? 0;
  const end = partial ? partial.end + 1 : size;
  // The first chunk is read and authenticated before any header goes out, so a damaged part answers 500
  // instead of a 200 with a broken body; damage further in can only cut the body short.
  const pieces = req.method === 'HEAD' ? undefined : reader.read(start, end);
  const first = await pieces?.next();
  res.status(partial ? 206 : 200).set(headers).type('audio/wav');
  if (partial) res.set('Content-Range', `bytes ${start}-${end - 1}/${size}`);
  res.set('Content-Length', String(end - start));
  if (!pieces || !first || first.done) {
    res.end();
    return;
  }
  await pipeline(Readable.from(continueWith(first.value, pieces)), res);
}

/** `first`, then the rest of the iterator it came from; closes that iterator when the consumer stops early. */
async function* continueWith<T>(first: T, rest: AsyncIterator<T>): AsyncGenerator<T> {
  try {
    yield first;
    for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
  } finally {
    await rest.return?.(undefined);
  }
}

function reasonOf(error: unknown): string {
  return error instanceof SambungError ? error.message : 'invalid token';
}
