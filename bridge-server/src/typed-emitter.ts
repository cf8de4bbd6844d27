import { EventEmitter } from 'node:events';

/**
 * An EventEmitter whose events and their arguments are typed (CONVENTIONS #3, after mediasoup's
 * EnhancedEventEmitter). {@link TypedEmitter.safeEmit} catches a listener's throw so one bad listener (a CRM
 * hook, a metrics sink) cannot break signalling.
 */
export type EventMap = Record<string, unknown[]>;

export class TypedEmitter<E extends EventMap> {
  readonly #ee = new EventEmitter();
  #onListenerError: (event: string, error: unknown) => void = () => {};

  constructor() {
    this.#ee.setMaxListeners(Infinity);
  }

  /** Where listener errors go (a logger); they are otherwise swallowed. */
  onListenerError(fn: (event: string, error: unknown) => void): void {
    this.#onListenerError = fn;
  }

  on<K extends keyof E & string>(event: K, fn: (...args: E[K]) => void): this {
    this.#ee.on(event, fn as (...a: unknown[]) => void);
    return this;
  }

  once<K extends keyof E & string>(event: K, fn: (...args: E[K]) => void): this {
    this.#ee.once(event, fn as (...a: unknown[]) => void);
    return this;
  }

  off<K extends keyof E & string>(event: K, fn: (...args: E[K]) => void): this {
    this.#ee.off(event, fn as (...a: unknown[]) => void);
    return this;
  }

  removeAllListeners(): void {
    this.#ee.removeAllListeners();
  }

  /** Emit to every listener; a listener that throws is reported and the others still run. */
  safeEmit<K extends keyof E & string>(event: K, ...args: E[K]): void {
    for (const fn of this.#ee.listeners(event)) {
      try {
        (fn as (...a: unknown[]) => void)(...args);
      } catch (error) {
        this.#onListenerError(event, error);
      }
    }
  }
}
