import { TransitionError } from './errors.js';

/** A transition table: for each state, the states it may move to (CONVENTIONS #2). */
export type TransitionTable<S extends string> = Readonly<Record<S, readonly S[]>>;

/**
 * The one place a state changes. {@link StateMachine.transition} checks the move against the table, throws a
 * typed {@link TransitionError} on an illegal one, then notifies. State is never assigned anywhere else.
 */
export class StateMachine<S extends string> {
  #state: S;
  readonly #name: string;
  readonly #table: TransitionTable<S>;
  readonly #onChange: ((from: S, to: S) => void) | undefined;

  constructor(name: string, table: TransitionTable<S>, initial: S, onChange?: (from: S, to: S) => void) {
    this.#name = name;
    this.#table = table;
    this.#state = initial;
    this.#onChange = onChange;
  }

  get state(): S {
    return this.#state;
  }

  can(to: S): boolean {
    return this.#table[this.#state].includes(to);
  }

  /** Move to `to`; throws TransitionError when the table does not allow it. */
  transition(to: S): void {
    const from = this.#state;
    if (!this.#table[from].includes(to)) throw TransitionError.illegal(this.#name, from, to);
    this.#state = to;
    this.#onChange?.(from, to);
  }

  /** True when no transition leaves the current state. */
  get final(): boolean {
    return this.#table[this.#state].length === 0;
  }
}
