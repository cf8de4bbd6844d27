/**
 * Bounds every call to Zendesk (or to the bridge on Zendesk's behalf) in time and turns whatever it throws
 * into a {@link HostAdapterError}, as the HostAdapter contract requires.
 *
 * The SDK rejects with plain objects as well as `Error`s: its own 5-second timeout is a `TimeoutError` that
 * is not an `Error` instance, an errored path is an `Error` built from the framework's `{ name, message }`,
 * and `request()` rejects with a jqXHR-like `{ status, responseText }`. `request()` has no timeout at all,
 * so the bound here is the only one.
 */
import { HostAdapterError } from '../../softphone/src/host-adapter.js';

/** setTimeout/clearTimeout, injected so tests control time. */
export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The contract suggests 10 s; the SDK gives up on get/invoke after 5 s itself. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Runs `call` (which may throw synchronously, as the SDK does on bad arguments) and settles with its result,
 * or rejects with `HOST_ERR_UNAVAILABLE` naming `what` on failure or after `ms`. A `HostAdapterError` thrown
 * by `call` passes through unchanged.
 */
export function bounded<T>(call: () => Promise<T>, what: string, timers: Timers, ms = DEFAULT_TIMEOUT_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const handle = timers.set(() => {
      if (settled) return;
      settled = true;
      reject(HostAdapterError.unavailable(`Zendesk did not answer ${what} within ${ms} ms`));
    }, ms);
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      timers.clear(handle);
      outcome();
    };
    let promise: Promise<T>;
    try {
      promise = Promise.resolve(call());
    } catch (error) {
      settle(() => reject(wrap(error, what)));
      return;
    }
    promise.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(wrap(error, what))),
    );
  });
}

function wrap(error: unknown, what: string): HostAdapterError {
  if (error instanceof HostAdapterError) return error;
  return HostAdapterError.unavailable(`Zendesk refused ${what}: ${describe(error)}`, error);
}

/** A short, non-sensitive description of what the SDK rejected with (never the response body). */
function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null) {
    const { name, message, status } = error as { name?: unknown; message?: unknown; status?: unknown };
    if (typeof status === 'number') return `HTTP ${status}`;
    if (typeof message === 'string') return typeof name === 'string' ? `${name}: ${message}` : message;
  }
  return typeof error === 'string' ? error : 'unknown error';
}
