import { SambungError, type ErrorCode } from '../../errors.js';

export const DELIVERY_FAILED: ErrorCode = 'DELIVERY_FAILED';

/**
 * Thrown by a handler when retrying cannot help and the job must wait for an operator (a part file that is gone,
 * a payload that does not parse): the outbox parks the job with this reason at once.
 */
export class ParkJobError extends SambungError {
  static because(reason: string, cause?: unknown): ParkJobError {
    return new ParkJobError(DELIVERY_FAILED, reason, { cause });
  }
}
