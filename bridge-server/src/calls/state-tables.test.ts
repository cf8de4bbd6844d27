import { describe, expect, it } from 'vitest';
import { TransitionError } from '../errors.js';
import { StateMachine, type TransitionTable } from '../state-machine.js';
import { callTransitions, type CallState } from './call-state.js';
import { legTransitions, type LegState } from './leg-state.js';

function everyPair<S extends string>(table: TransitionTable<S>): Array<[S, S, boolean]> {
  const states = Object.keys(table) as S[];
  return states.flatMap((from) => states.map((to): [S, S, boolean] => [from, to, table[from].includes(to)]));
}

function driveTo<S extends string>(table: TransitionTable<S>, initial: S, target: S): StateMachine<S> {
  // Breadth-first path from the initial state, so each check starts from a reachable state.
  const prev = new Map<S, S>([[initial, initial]]);
  const queue: S[] = [initial];
  while (queue.length) {
    const s = queue.shift()!;
    for (const n of table[s]) if (!prev.has(n)) (prev.set(n, s), queue.push(n));
  }
  const path: S[] = [];
  for (let s = target; s !== initial; s = prev.get(s)!) path.unshift(s);
  const m = new StateMachine('test', table, initial);
  for (const s of path) m.transition(s);
  return m;
}

describe.each([
  ['call', callTransitions as TransitionTable<string>, 'offered'],
  ['leg', legTransitions as TransitionTable<string>, 'trying'],
])('%s state table', (_name, table, initial) => {
  it('reaches every state from the initial one', () => {
    for (const s of Object.keys(table)) expect(() => driveTo(table, initial, s)).not.toThrow();
  });

  it.each(everyPair(table))('%s -> %s allowed=%s', (from, to, allowed) => {
    const m = driveTo(table, initial, from);
    if (allowed) {
      m.transition(to);
      expect(m.state).toBe(to);
    } else {
      expect(() => m.transition(to)).toThrow(TransitionError);
      expect(m.state).toBe(from);
    }
  });
});

describe('StateMachine', () => {
  it('reports each move to its listener', () => {
    const moves: string[] = [];
    const m = new StateMachine<CallState>('call', callTransitions, 'offered', (a, b) => moves.push(`${a}>${b}`));
    m.transition('queued');
    m.transition('ringing');
    m.transition('queued');
    m.transition('ended');
    expect(moves).toEqual(['offered>queued', 'queued>ringing', 'ringing>queued', 'queued>ended']);
    expect(m.final).toBe(true);
  });

  it('throws a typed error carrying the machine and the move', () => {
    const m = new StateMachine<LegState>('leg', legTransitions, 'trying');
    m.transition('terminated');
    try {
      m.transition('confirmed');
      expect.unreachable();
    } catch (e) {
      expect((e as TransitionError).code).toBe('ILLEGAL_TRANSITION');
      expect((e as TransitionError).detail).toEqual({ machine: 'leg', from: 'terminated', to: 'confirmed' });
    }
  });
});
