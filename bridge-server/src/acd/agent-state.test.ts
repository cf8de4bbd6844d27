import { describe, expect, it } from 'vitest';
import { TransitionError } from '../errors.js';
import { StateMachine } from '../state-machine.js';
import { agent, call, offers, queue, testAcd } from './acd-test-kit.js';
import type { AgentStateChange } from './acd-types.js';
import { agentTransitions, type AgentState } from './agent-state.js';

const states = Object.keys(agentTransitions) as AgentState[];

/** A machine driven from offline to `target` along legal moves. */
function at(target: AgentState): StateMachine<AgentState> {
  const path: Record<AgentState, AgentState[]> = {
    offline: [], available: ['available'], reserved: ['available', 'reserved'], 'on-call': ['available', 'reserved', 'on-call'],
    'wrap-up': ['available', 'reserved', 'on-call', 'wrap-up'], away: ['away'],
  };
  const m = new StateMachine('agent', agentTransitions, 'offline');
  for (const s of path[target]) m.transition(s);
  return m;
}

describe('agent state table', () => {
  it.each(states.flatMap((from) => states.map((to) => [from, to, agentTransitions[from].includes(to)] as const)))(
    '%s -> %s allowed=%s',
    (from, to, allowed) => {
      const m = at(from);
      if (allowed) {
        m.transition(to);
        expect(m.state).toBe(to);
      } else {
        expect(() => m.transition(to)).toThrow(TransitionError);
        expect(m.state).toBe(from);
      }
    },
  );

  it('follows offline → available → reserved → on-call → wrap-up → available through the engine', () => {
    const acd = testAcd();
    const seen: string[] = [];
    acd.engine.on('agent-state', (c: AgentStateChange) => seen.push(`${c.from}>${c.to}`));
    queue(acd, 'q', { wrapUpSec: 30 });
    agent(acd, 'ann', ['q']);
    call(acd, 'c1', 'q');
    acd.engine.answered('c1', 'ann');
    acd.advance(60);
    acd.engine.ended('c1');
    expect(acd.engine.agent('ann')!.state).toBe('wrap-up');
    acd.advance(30);
    expect(seen).toEqual(['offline>available', 'available>reserved', 'reserved>on-call', 'on-call>wrap-up', 'wrap-up>available']);
  });
});

describe('agent state commands', () => {
  it('refuses to make a ringing agent ready with a TransitionError', () => {
    const acd = testAcd();
    queue(acd, 'q');
    agent(acd, 'ann', ['q']);
    call(acd, 'c1', 'q');
    expect(() => acd.engine.setAgentState('ann', 'available')).toThrow(TransitionError);
  });

  it('withdraws the offer when a ringing agent goes away, and offers the call to the next agent', () => {
    const acd = testAcd();
    queue(acd, 'q');
    agent(acd, 'ann', ['q']);
    acd.now += 1000;
    agent(acd, 'bob', ['q']);
    expect(call(acd, 'c1', 'q')).toEqual(['ann']);
    const effects = acd.engine.setAgentState('ann', 'away', 'lunch');
    expect(effects[0]).toMatchObject({ type: 'stop-ringing', callId: 'c1', agentIds: ['ann'], reason: 'agent-unavailable' });
    expect(offers(effects)).toEqual([['c1', ['bob']]]);
    expect(acd.engine.agent('ann')).toMatchObject({ state: 'away', awayReason: 'lunch', misses: 0 });
  });

  it('applies away asked for during a call when wrap-up ends, and ends wrap-up early on ready', () => {
    const acd = testAcd();
    queue(acd, 'q', { wrapUpSec: 120 });
    agent(acd, 'ann', ['q']);
    call(acd, 'c1', 'q');
    acd.engine.answered('c1', 'ann');
    acd.engine.setAgentState('ann', 'away', 'break');
    expect(acd.engine.agent('ann')).toMatchObject({ state: 'on-call', pending: 'away' });
    acd.engine.ended('c1');
    acd.advance(120);
    expect(acd.engine.agent('ann')).toMatchObject({ state: 'away', awayReason: 'break', pending: null });

    acd.engine.setAgentState('ann', 'available');
    call(acd, 'c2', 'q');
    acd.engine.answered('c2', 'ann');
    acd.engine.ended('c2');
    acd.advance(10);
    expect(acd.engine.agent('ann')!.state).toBe('wrap-up');
    acd.engine.setAgentState('ann', 'available');
    expect(acd.engine.agent('ann')!.state).toBe('available');
  });

  it('does not route to agents who are away or offline', () => {
    const acd = testAcd();
    queue(acd, 'q');
    agent(acd, 'ann', ['q'], {}, false);
    agent(acd, 'bob', ['q']);
    acd.engine.setAgentState('bob', 'away', 'meeting');
    expect(call(acd, 'c1', 'q')).toEqual([]);
    expect(offers(acd.engine.setAgentState('ann', 'available'))).toEqual([['c1', ['ann']]]);
  });

  it('refuses to remove an agent on a call, and logs out and forgets one that is not', () => {
    const acd = testAcd();
    queue(acd, 'q');
    agent(acd, 'ann', ['q']);
    call(acd, 'c1', 'q');
    acd.engine.answered('c1', 'ann');
    expect(() => acd.engine.removeAgent('ann')).toThrow(/on a call/);
    acd.engine.ended('c1');
    acd.engine.removeAgent('ann');
    expect(acd.engine.agent('ann')).toBeNull();
    expect(acd.engine.queueStatus('q').staffed).toBe(0);
  });
});
