/**
 * Building blocks every {@link HostAdapter} needs the same way, so each CRM's adapter only writes what differs:
 * the click-to-dial subscriber list and the `logCall` argument rules of the contract.
 */
import { HostAdapterError, type CallLogEntry, type DialTarget } from './host-adapter.js';

/**
 * `onClickToDial` subscribers: each click goes once to every handler subscribed at that moment, in order; a
 * handler that throws does not stop the others; unsubscribing is idempotent and removes that handler only.
 */
export class ClickToDialHandlers {
  readonly #handlers: ((target: DialTarget) => void)[] = [];

  add(handler: (target: DialTarget) => void): () => void {
    this.#handlers.push(handler);
    return () => {
      const index = this.#handlers.indexOf(handler);
      if (index >= 0) this.#handlers.splice(index, 1);
    };
  }

  deliver(target: DialTarget): void {
    for (const handler of [...this.#handlers]) {
      try {
        handler(target);
      } catch (error) {
        console.error('[softphone] click-to-dial handler failed', error);
      }
    }
  }

  clear(): void {
    this.#handlers.length = 0;
  }
}

/** The contract's `logCall` rules: a call id, `startedAt ≤ endedAt` (ISO 8601), `talkSeconds ≥ 0`. */
export function assertValidCallLog(log: CallLogEntry): void {
  if (typeof log.callId !== 'string' || log.callId.trim() === '') {
    throw HostAdapterError.invalidArgument('logCall needs a callId');
  }
  const started = Date.parse(log.startedAt);
  const ended = Date.parse(log.endedAt);
  if (Number.isNaN(started) || Number.isNaN(ended) || ended < started) {
    throw HostAdapterError.invalidArgument('logCall needs startedAt ≤ endedAt as ISO 8601 timestamps');
  }
  if (!Number.isFinite(log.talkSeconds) || log.talkSeconds < 0) {
    throw HostAdapterError.invalidArgument('logCall needs talkSeconds ≥ 0');
  }
}
