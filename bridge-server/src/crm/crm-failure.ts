import { CrmError } from './crm-error.js';

/**
 * A failure a CRM (or its fake) can be told to produce on its next request — the failure modes the conformance
 * suite and the outbox tests exercise.
 */
export type CrmFailure =
  | { kind: 'unauthorized' } // 401
  | { kind: 'forbidden' } // 403
  | { kind: 'rejected'; message: string } // 422 with this text
  | { kind: 'rate-limited'; retryAfterSec: number } // 429 + Retry-After
  | { kind: 'server-error' } // 500
  | { kind: 'timeout' } // never answers
  | { kind: 'too-large' } // 413
  | { kind: 'garbage' } // 200 with a body the API does not document
  | { kind: 'lost-response' }; // processes the request, then never answers

/** The error an adapter must report for `failure` (what the in-memory reference adapter throws directly). */
export function errorFor(failure: CrmFailure, operation: string): CrmError {
  switch (failure.kind) {
    case 'unauthorized':
      return CrmError.auth(`credentials refused (401) on ${operation}: reconnect the CRM`, { status: 401 });
    case 'forbidden':
      return CrmError.auth(`credentials refused (403) on ${operation}: reconnect the CRM`, { status: 403 });
    case 'rejected':
      return CrmError.rejected(failure.message, { status: 422 });
    case 'rate-limited':
      return CrmError.retryable(`rate limited (429) on ${operation}`, { status: 429, retryAfterMs: failure.retryAfterSec * 1000 });
    case 'server-error':
      return CrmError.retryable(`server error (500) on ${operation}`, { status: 500 });
    case 'timeout':
    case 'lost-response':
      return CrmError.retryable(`${operation} timed out`);
    case 'too-large':
      return CrmError.tooLarge(`body of ${operation} too large (413)`);
    case 'garbage':
      return CrmError.invalidResponse(`${operation} answered a body that is not JSON`, { status: 200 });
  }
}
