import type { NextFunction, Request, Response } from 'express';
import type { AgentClaims } from '../auth/tokens.js';
import { HttpError } from '../errors.js';

export type AuthedRequest = Request & { agent?: AgentClaims };

const RANK = { agent: 0, supervisor: 1, admin: 2 } as const;

/** Middleware after `requireAgent`: 403 unless the signed-in user has at least role `min`. */
export function requireRole(min: keyof typeof RANK) {
  return (req: AuthedRequest, _res: Response, next: NextFunction): void => {
    if (RANK[req.agent!.role] < RANK[min]) throw HttpError.forbidden(`this needs the ${min} role`);
    next();
  };
}
