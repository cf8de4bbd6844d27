/**
 * Runs `tick` every `intervalMs` while the page is visible (Page Visibility API), never two at once: the next tick
 * is scheduled when the previous one has finished. Hidden → no timer at all; visible again → one tick at once,
 * then the rhythm resumes. Timers and visibility are injected so tests drive time instead of sleeping.
 *
 * ```
 *   stopped ──start()──▶ idle(visible) ──timer──▶ ticking ──done──▶ idle(visible) …
 *                         │  ▲                                    (hidden: no timer; visible: tick now)
 *                         └──┴── refresh(): tick now, timer reset
 * ```
 */

export interface VisibilitySource {
  isVisible(): boolean;
  /** Calls `listener` on every change; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
}

export interface PollTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface VisiblePollerOptions {
  readonly intervalMs: number;
  /** One poll. A rejection is passed to `onError` and polling goes on. */
  readonly tick: () => Promise<void>;
  readonly visibility: VisibilitySource;
  readonly timers: PollTimers;
  readonly onError?: (error: unknown) => void;
}

export class VisiblePoller {
  readonly #o: VisiblePollerOptions;
  #running = false;
  #inFlight: Promise<void> | null = null;
  #timer: unknown = null;
  #unsubscribe: (() => void) | null = null;

  constructor(options: VisiblePollerOptions) {
    this.#o = options;
  }

  get running(): boolean {
    return this.#running;
  }

  /** Starts polling (a tick at once when visible). Idempotent. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#unsubscribe = this.#o.visibility.onChange(() => this.#visibilityChanged());
    if (this.#o.visibility.isVisible()) void this.#tick();
  }

  /** Stops polling and forgets the visibility listener. Idempotent; a tick in flight finishes but schedules nothing. */
  stop(): void {
    if (!this.#running) return;
    this.#running = false;
    this.#cancelTimer();
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  /** A tick now (or the one in flight), then the interval starts again from its end. */
  refresh(): Promise<void> {
    return this.#tick();
  }

  #visibilityChanged(): void {
    if (!this.#running) return;
    if (!this.#o.visibility.isVisible()) {
      this.#cancelTimer();
      return;
    }
    if (!this.#inFlight && this.#timer === null) void this.#tick();
  }

  #tick(): Promise<void> {
    if (this.#inFlight) return this.#inFlight;
    this.#cancelTimer();
    const run = (async () => {
      try {
        // Through a microtask, so even a tick that throws synchronously finishes after `#inFlight` is set.
        await Promise.resolve().then(() => this.#o.tick());
      } catch (error) {
        this.#o.onError?.(error);
      } finally {
        this.#inFlight = null;
        this.#schedule();
      }
    })();
    this.#inFlight = run;
    return run;
  }

  #schedule(): void {
    if (!this.#running || !this.#o.visibility.isVisible() || this.#timer !== null) return;
    this.#timer = this.#o.timers.setTimeout(() => {
      this.#timer = null;
      void this.#tick();
    }, this.#o.intervalMs);
  }

  #cancelTimer(): void {
    if (this.#timer === null) return;
    this.#o.timers.clearTimeout(this.#timer);
    this.#timer = null;
  }
}

/** The browser's visibility as a {@link VisibilitySource}. */
export function documentVisibility(doc: Document): VisibilitySource {
  return {
    isVisible: () => doc.visibilityState === 'visible',
    onChange(listener) {
      doc.addEventListener('visibilitychange', listener);
      return () => doc.removeEventListener('visibilitychange', listener);
    },
  };
}
