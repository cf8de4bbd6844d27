import type { Clock } from '../clock.js';
import type { CrmFailure } from './crm-failure.js';

/** What the fake CRM does instead of answering normally. */
export type FakeFault =
  /** Answer this status with a JSON error body (and `Retry-After` when given). */
  | { type: 'status'; status: number; retryAfter?: string; message?: string }
  /** Never answer (the client's timeout must fire). */
  | { type: 'hang' }
  /** Answer 200 with a body that is not the documented JSON. */
  | { type: 'garbage' }
  /** Process the request, then never answer: the write happened but the client cannot know. */
  | { type: 'lost-response' };

export interface FaultRule {
  fault: FakeFault;
  /** Applies to this many matching requests (default 1 unless `forMs` is given). */
  times?: number;
  /** Applies to every matching request for this long, by the fake's clock. */
  forMs?: number;
  /** Only requests whose `METHOD /path?query` contains this text (e.g. `/attachments`, `part=2`). */
  match?: string;
}

interface ActiveRule {
  fault: FakeFault;
  remaining: number;
  until: number;
  match: string | undefined;
}

/**
 * The fake CRM's failure schedule. Rules apply in the order added; a request takes the first rule that matches
 * it and is still active (count left, window not over by the injected clock — "500s for 10 simulated minutes").
 */
export class FakeCrmFaults {
  readonly #clock: Clock;
  #rules: ActiveRule[] = [];

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  add(rule: FaultRule): void {
    const timed = rule.forMs !== undefined;
    this.#rules.push({
      fault: rule.fault,
      remaining: rule.times ?? (timed ? Infinity : 1),
      until: timed ? this.#clock.now() + rule.forMs! : Infinity,
      match: rule.match,
    });
  }

  clear(): void {
    this.#rules = [];
  }

  /** The fault for this request, if any, consuming one use of its rule. */
  take(method: string, pathAndQuery: string): FakeFault | undefined {
    const now = this.#clock.now();
    this.#rules = this.#rules.filter((r) => r.remaining > 0 && r.until > now);
    const request = `${method} ${pathAndQuery}`;
    const rule = this.#rules.find((r) => r.match === undefined || request.includes(r.match));
    if (!rule) return undefined;
    rule.remaining -= 1;
    return rule.fault;
  }
}

/** The fake's way of producing a conformance-suite failure. */
export function faultFor(failure: CrmFailure): FakeFault {
  switch (failure.kind) {
    case 'unauthorized':
      return { type: 'status', status: 401, message: 'Invalid or revoked API token' };
    case 'forbidden':
      return { type: 'status', status: 403, message: 'This token may not do that' };
    case 'rejected':
      return { type: 'status', status: 422, message: failure.message };
    case 'rate-limited':
      return { type: 'status', status: 429, retryAfter: String(failure.retryAfterSec), message: 'Rate limit exceeded' };
    case 'server-error':
      return { type: 'status', status: 500, message: 'Internal server error' };
    case 'timeout':
      return { type: 'hang' };
    case 'too-large':
      return { type: 'status', status: 413, message: 'Request entity too large' };
    case 'garbage':
      return { type: 'garbage' };
    case 'lost-response':
      return { type: 'lost-response' };
  }
}
