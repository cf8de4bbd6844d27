/**
 * A state machine as data (CONVENTIONS #2): a transition table and one `transition()` that checks the move,
 * assigns, and notifies. Every browser-side machine is one: the widget's call and callback scheduler (each status
 * value carries what the view shows for that state), the softphone's call state and recording toggle.
 */

export class IllegalTransitionError extends Error {
  constructor(
    /** The bundle's error code (`WIDGET_ERR_ILLEGAL_TRANSITION`, `SOFTPHONE_ERR_ILLEGAL_TRANSITION`). */
    readonly code: string,
    readonly machine: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`Illegal ${machine} state transition ${from} → ${to}`);
    this.name = 'IllegalTransitionError';
  }
}

export type StatusListener<T> = (next: T, previous: T) => void;

export class StatusMachine<S extends string, T extends { readonly state: S }> {
  #status: T;
  readonly #listeners = new Set<StatusListener<T>>();

  constructor(
    private readonly name: string,
    private readonly table: Readonly<Record<S, readonly S[]>>,
    initial: T,
    private readonly errorCode = 'WIDGET_ERR_ILLEGAL_TRANSITION',
  ) {
    this.#status = initial;
  }

  get status(): T {
    return this.#status;
  }

  get state(): S {
    return this.#status.state;
  }

  can(to: S): boolean {
    return this.table[this.#status.state].includes(to);
  }

  /** The single assignment of the state. Throws {@link IllegalTransitionError} on an illegal move. */
  transition(next: T): void {
    const previous = this.#status;
    if (!this.table[previous.state].includes(next.state)) {
      throw new IllegalTransitionError(this.errorCode, this.name, previous.state, next.state);
    }
    this.#status = next;
    for (const listener of [...this.#listeners]) {
      // One faulty listener must not stop the others nor the signalling that triggered the change.
      try {
        listener(next, previous);
      } catch (error) {
        console.error(`[sambung] ${this.name} state listener failed`, error);
      }
    }
  }

  onChange(listener: StatusListener<T>): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
