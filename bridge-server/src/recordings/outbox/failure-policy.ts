import { CrmError } from '../../crm/crm-error.js';
import { backoffDelay, defaultBackoff, type BackoffPolicy } from './backoff.js';
import { ParkJobError } from './outbox-errors.js';

export interface FailurePolicy {
  backoff: BackoffPolicy;
  /** How often a job waiting for credentials tries again by itself (default 5 min). */
  authRetryMs: number;
  /** Retryable and too-large failures park the job after this many attempts (default 50: about 12 h at the cap). */
  maxAttempts: number;
  /** Errors that are not CrmErrors (a bug, a disk error) park the job after this many attempts (default 5). */
  maxUnexpectedAttempts: number;
}

export const defaultFailurePolicy: FailurePolicy = {
  backoff: defaultBackoff,
  authRetryMs: 5 * 60_000,
  maxAttempts: 50,
  maxUnexpectedAttempts: 5,
};

/** What happens to a job whose attempt failed. */
export type FailureOutcome =
  | { to: 'pending'; delayMs: number; reason: string }
  | { to: 'waiting-auth'; delayMs: number; reason: string }
  | { to: 'parked'; reason: string };

/**
 * The one decision of what a failed attempt means (`attempts` counts the one that just failed):
 *
 * | error                          | outcome                                                           |
 * |--------------------------------|-------------------------------------------------------------------|
 * | CrmError `retryable`           | pending after backoff (≥ `retryAfterMs`); parked at `maxAttempts`  |
 * | CrmError `too-large`           | the same (a handler that can split catches it first)              |
 * | CrmError `auth`                | waiting-auth, tried again every `authRetryMs`; never parked        |
 * | CrmError `rejected`            | parked with the CRM's text                                        |
 * | CrmError `invalid-response`    | parked with the reason                                            |
 * | ParkJobError                   | parked with its reason                                            |
 * | anything else                  | pending after backoff; parked at `maxUnexpectedAttempts`          |
 */
export function failureOutcome(error: unknown, attempts: number, policy: FailurePolicy, random: () => number): FailureOutcome {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ParkJobError) return { to: 'parked', reason: message };
  if (error instanceof CrmError) {
    switch (error.kind) {
      case 'auth':
        return { to: 'waiting-auth', delayMs: policy.authRetryMs, reason: `reconnect the CRM: ${message}` };
      case 'rejected':
      case 'invalid-response':
        return { to: 'parked', reason: message };
      case 'retryable':
      case 'too-large':
        if (attempts >= policy.maxAttempts) return { to: 'parked', reason: `gave up after ${attempts} attempts: ${message}` };
        return { to: 'pending', delayMs: backoffDelay(attempts, policy.backoff, random, error.retryAfterMs ?? 0), reason: message };
    }
  }
  if (attempts >= policy.maxUnexpectedAttempts) return { to: 'parked', reason: `handler failed ${attempts} times: ${message}` };
  return { to: 'pending', delayMs: backoffDelay(attempts, policy.backoff, random), reason: `handler failed: ${message}` };
}
