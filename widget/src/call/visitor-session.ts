/**
 * The visitor's API credential for one call attempt: the token from `POST /api/visitor-token`, renewed when the
 * bridge says it expired. The token lives ~5 minutes, and a deflection after a long wait (or a booking after a
 * long look at the slots) easily outlives it; the bridge answers 401, we ask for a new token with the same
 * details and retry that request once. Concurrent requests share one renewal.
 */
import { WidgetError } from './widget-errors.js';

export class VisitorSession {
  #token: string;
  #renewing: Promise<string> | undefined;

  /** @param renew fetches a new token for the same tenant, queue and visitor details. */
  constructor(
    token: string,
    private readonly renew: () => Promise<string>,
  ) {
    this.#token = token;
  }

  get token(): string {
    return this.#token;
  }

  /** Runs `request` with the current token; on a 401, renews once and runs it again with the new one. */
  async authorized<T>(request: (token: string) => Promise<T>): Promise<T> {
    const used = this.#token;
    try {
      return await request(used);
    } catch (error) {
      if (!(error instanceof WidgetError) || !error.isUnauthorized) throw error;
      return request(await this.#fresh(used));
    }
  }

  #fresh(stale: string): Promise<string> {
    if (this.#token !== stale) return Promise.resolve(this.#token); // another request renewed it meanwhile
    this.#renewing ??= this.renew()
      .then((token) => {
        this.#token = token;
        return token;
      })
      .finally(() => {
        this.#renewing = undefined;
      });
    return this.#renewing;
  }
}
