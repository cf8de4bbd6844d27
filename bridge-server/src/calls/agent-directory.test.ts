import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { AgentDirectory, type AgentProfile } from './agent-directory.js';

const profile = (id: string, queueIds = ['q1'], tenantId = 't1'): AgentProfile => ({
  agentId: id,
  tenantId,
  username: id,
  displayName: id.toUpperCase(),
  aor: `sip:${id}@demo`,
  queueIds,
});

const always = () => true;
const never = () => false;

describe('AgentDirectory', () => {
  it('picks the longest-idle available agent of the queue', () => {
    const clock = new ManualClock();
    const dir = new AgentDirectory(clock);
    dir.upsert(profile('a'));
    clock.advance(1000);
    dir.upsert(profile('b'));
    expect(dir.pick('t1', 'q1', always, never)?.agentId).toBe('a');
    dir.reserve('a', 'c1');
    clock.advance(1000);
    dir.release('a', 'c1');
    expect(dir.pick('t1', 'q1', always, never)?.agentId).toBe('b');
  });

  it('skips agents that are away, busy, unreachable, excluded, of another queue or tenant', () => {
    const dir = new AgentDirectory(new ManualClock());
    dir.upsert(profile('away'));
    dir.setAvailability('away', 'away', 'lunch');
    dir.upsert(profile('busy'));
    dir.reserve('busy', 'c0');
    dir.upsert(profile('offline'));
    dir.upsert(profile('tried'));
    dir.upsert(profile('other-queue', ['q2']));
    dir.upsert(profile('other-tenant', ['q1'], 't2'));
    const pick = dir.pick('t1', 'q1', (a) => a.agentId !== 'offline', (a) => a.agentId === 'tried');
    expect(pick).toBeNull();
  });

  it('announces when an agent may have become routable', () => {
    const dir = new AgentDirectory(new ManualClock());
    const seen: string[] = [];
    dir.on('changed', (t) => seen.push(t));
    dir.upsert(profile('a'));
    dir.setAvailability('a', 'away');
    dir.setAvailability('a', 'available');
    dir.reserve('a', 'c1');
    dir.release('a', 'c2');
    dir.release('a', 'c1');
    expect(seen).toEqual(['t1', 't1', 't1']);
  });
});
