import type { Call } from './call.js';

/**
 * Calls waiting for an agent, first-come first-served per queue. A call an agent did not take goes back to
 * the head of its queue ({@link WaitingList.unshift}), so it is not punished for the agent's miss.
 */
export class WaitingList {
  readonly #byQueue = new Map<string, Call[]>();

  push(call: Call): void {
    this.#list(call.queueId).push(call);
  }

  unshift(call: Call): void {
    this.#list(call.queueId).unshift(call);
  }

  remove(call: Call): void {
    const list = this.#byQueue.get(call.queueId);
    const i = list?.indexOf(call) ?? -1;
    if (list && i >= 0) list.splice(i, 1);
  }

  /** Every waiting call, each queue's in order (a snapshot: safe to change the list while iterating it). */
  all(): Call[] {
    return [...this.#byQueue.values()].flat();
  }

  /** [1-based position in its queue, call] for every waiting call. */
  *positions(): Iterable<[number, Call]> {
    for (const list of this.#byQueue.values()) {
      let position = 0;
      for (const call of [...list]) yield [++position, call];
    }
  }

  /** Position of a call in its queue (1-based), or 0 when it is not waiting. */
  positionOf(call: Call): number {
    return (this.#byQueue.get(call.queueId)?.indexOf(call) ?? -1) + 1;
  }

  #list(queueId: string): Call[] {
    let list = this.#byQueue.get(queueId);
    if (!list) this.#byQueue.set(queueId, (list = []));
    return list;
  }
}
