import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { Clock } from '../clock.js';
import { HttpError } from '../errors.js';

/**
 * Signed bearer tokens (HS256 JWTs, jose). Two audiences:
 * - a visitor token: short-lived, scoped to exactly one queue, carrying the caller details the visitor typed
 *   (the bridge takes them from the signed token, never from SIP headers a visitor could forge);
 * - an agent token: the softphone's API bearer after a password login.
 */
export interface VisitorClaims {
  kind: 'visitor';
  tenantId: string;
  queueId: string;
  queueName: string;
  visitorId: string;
  name: string;
  phone: string;
  email: string;
}

export interface AgentClaims {
  kind: 'agent';
  tenantId: string;
  agentId: string;
  username: string;
  /** `agent` takes calls; `supervisor` also reads reports; `admin` also configures the ACD. */
  role: 'agent' | 'supervisor' | 'admin';
}

/** An expiring link to one recording part, for a CRM to fetch (HubSpot, Zendesk) or a supervisor to play. */
export interface RecordingClaims {
  kind: 'recording';
  tenantId: string;
  recordingId: string;
  /** 1-based part number. */
  part: number;
  /** Who the link was made for (audited with every access). */
  issuedTo: string;
}

export type TokenClaims = VisitorClaims | AgentClaims | RecordingClaims;

const ISSUER = 'sambung';

export class TokenService {
  readonly #key: Uint8Array;
  readonly #clock: Clock;

  constructor(secret: string | Uint8Array, clock: Clock) {
    this.#key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
    this.#clock = clock;
  }

  async sign(claims: TokenClaims, ttlSec: number): Promise<{ token: string; expiresAt: Date }> {
    const now = Math.floor(this.#clock.now() / 1000);
    const { kind, ...rest } = claims;
    const token = await new SignJWT({ ...rest })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(kind)
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSec)
      .sign(this.#key);
    return { token, expiresAt: new Date((now + ttlSec) * 1000) };
  }

  /** Verify a token of the given kind; throws HttpError.unauthorized with a clear reason otherwise. */
  async verify<K extends TokenClaims['kind']>(token: string, kind: K): Promise<Extract<TokenClaims, { kind: K }>> {
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        issuer: ISSUER,
        audience: kind,
        algorithms: ['HS256'],
        currentDate: new Date(this.#clock.now()),
      });
      return { ...(payload as Record<string, unknown>), kind } as unknown as Extract<TokenClaims, { kind: K }>;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw HttpError.unauthorized('token expired');
      throw HttpError.unauthorized('invalid token');
    }
  }
}
