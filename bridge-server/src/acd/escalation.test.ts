import { describe, expect, it } from 'vitest';
import { agent, call, offers, queue, testAcd } from './acd-test-kit.js';

function setup() {
  const acd = testAcd();
  queue(acd, 'en');
  queue(acd, 'de', {
    skills: [{ skill: 'de', minLevel: 7 }],
    escalation: [{ afterSec: 30, relaxLevels: 3 }, { afterSec: 60, addQueues: ['en'] }],
  });
  return acd;
}

describe('escalation', () => {
  it('relaxes the required level after the step time, so a lower-level agent takes the waiting call', () => {
    const acd = setup();
    agent(acd, 'lena', ['de'], { de: 5 });
    expect(call(acd, 'c1', 'de')).toEqual([]);
    expect(offers(acd.advance(29))).toEqual([]);
    expect(offers(acd.advance(1))).toEqual([['c1', ['lena']]]);
  });

  it('makes the agents of further queues eligible at a later step (levels still relaxed)', () => {
    const acd = setup();
    agent(acd, 'ed', ['en'], { de: 4 });
    agent(acd, 'ella', ['en'], { de: 3 });
    call(acd, 'c1', 'de');
    expect(offers(acd.advance(30))).toEqual([]); // relaxed to 4, but ed does not serve "de" yet
    expect(offers(acd.advance(30))).toEqual([['c1', ['ed']]]); // ella's 3 is still below the relaxed 4
  });

  it('lets a free agent take an escalated call it was not eligible for on arrival', () => {
    const acd = setup();
    agent(acd, 'lena', ['de'], { de: 5 }, false);
    call(acd, 'c1', 'de');
    acd.advance(45);
    expect(offers(acd.engine.setAgentState('lena', 'available'))).toEqual([['c1', ['lena']]]);
  });

  it('still gives an agent at the full level the oldest call, escalated or not', () => {
    const acd = setup();
    agent(acd, 'hans', ['de'], { de: 8 }, false);
    call(acd, 'c1', 'de');
    acd.advance(40); // c1 escalated to stage 1
    call(acd, 'c2', 'de'); // c2 at stage 0
    expect(offers(acd.engine.setAgentState('hans', 'available'))).toEqual([['c1', ['hans']]]);
  });

  it('drops a requirement relaxed to zero', () => {
    const acd = testAcd();
    queue(acd, 'q', { skills: [{ skill: 'billing', minLevel: 2 }], escalation: [{ afterSec: 10, relaxLevels: 2 }] });
    agent(acd, 'newbie', ['q'], {});
    call(acd, 'c1', 'q');
    expect(offers(acd.advance(10))).toEqual([['c1', ['newbie']]]);
  });

  it('re-applies escalation to calls already waiting when the queue config changes', () => {
    const acd = testAcd();
    queue(acd, 'q', { skills: [{ skill: 'tech', minLevel: 6 }] });
    agent(acd, 'tim', ['q'], { tech: 4 });
    call(acd, 'c1', 'q');
    acd.advance(50);
    const effects = acd.engine.upsertQueue({ id: 'q', name: 'q', skills: [{ skill: 'tech', minLevel: 6 }], escalation: [{ afterSec: 40, relaxLevels: 2 }] });
    expect(offers(effects)).toEqual([['c1', ['tim']]]);
  });
});
