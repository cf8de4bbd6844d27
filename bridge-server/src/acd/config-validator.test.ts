import { describe, expect, it } from 'vitest';
import { AcdError } from './acd-errors.js';
import { testAcd, queue } from './acd-test-kit.js';
import { validateAcdConfig, validateQueue, type ValidationContext } from './config-validator.js';
import { queueConfigSchema, type QueueConfig, type QueueConfigInput } from './queue-config.js';

const q = (input: QueueConfigInput): QueueConfig => queueConfigSchema.parse(input);
const ctx = (...queues: QueueConfig[]): ValidationContext => ({
  skills: new Set(['en', 'de']),
  queues: new Map(queues.map((x) => [x.id, x])),
});
const open9to5 = { timeZone: 'Europe/Berlin', weekly: { mon: [{ from: '09:00', to: '17:00' }] } };

function fieldErrorsOf(fn: () => unknown): Record<string, string[]> {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AcdError);
    expect((error as AcdError).code).toBe('HTTP_BAD_REQUEST');
    return (error as AcdError).detail!.fieldErrors as Record<string, string[]>;
  }
  throw new Error('expected an AcdError');
}

describe('queue schema', () => {
  it('fills in the defaults: longest-idle, 20 s ring timeout, no wrap-up, 80 % in 20 s', () => {
    const c = q({ id: 'sales', name: 'Sales' });
    expect(c).toMatchObject({ strategy: 'longest-idle', ringTimeoutSec: 20, wrapUpSec: 0, serviceLevel: { percent: 80, seconds: 20 } });
  });

  it('refuses a ring timeout of 0 and a negative wrap-up, naming the fields', () => {
    const r = queueConfigSchema.safeParse({ id: 'a', name: 'A', ringTimeoutSec: 0, wrapUpSec: -5 });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['ringTimeoutSec', 'wrapUpSec']));
  });

  it('refuses an unknown time zone, a malformed time and a range that closes before it opens', () => {
    const r = queueConfigSchema.safeParse({
      id: 'a', name: 'A',
      businessHours: { timeZone: 'Mars/Olympus', weekly: { mon: [{ from: '9am', to: '17:00' }], tue: [{ from: '17:00', to: '09:00' }] }, holidays: ['2025-02-30'] },
    });
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['businessHours.timeZone', 'businessHours.weekly.mon.0.from', 'businessHours.weekly.tue.0.to', 'businessHours.holidays.0']));
  });
});

describe('semantic validation', () => {
  it('names an unknown skill', () => {
    expect(validateQueue(q({ id: 'a', name: 'A', skills: [{ skill: 'klingon', minLevel: 3 }] }), ctx())).toEqual({
      'skills.0.skill': ['unknown skill "klingon"'],
    });
  });

  it('refuses hours that never open', () => {
    const errors = validateQueue(q({ id: 'a', name: 'A', businessHours: { timeZone: 'UTC', weekly: {} }, afterHours: { type: 'voicemail' } }), ctx());
    expect(errors['businessHours.weekly']).toEqual(['the hours never open']);
  });

  it('refuses an overflow loop between two queues and one through three', () => {
    const a = q({ id: 'a', name: 'A', maxQueueSize: 5, overflow: { type: 'queue', queueId: 'b' } });
    const b = q({ id: 'b', name: 'B', maxQueueSize: 5, overflow: { type: 'queue', queueId: 'a' } });
    expect(validateQueue(b, ctx(a))['overflow.queueId']).toEqual(['overflow loop: b → a → b']);
    const c = q({ id: 'c', name: 'C', businessHours: open9to5, afterHours: { type: 'queue', queueId: 'a' } });
    const a2 = q({ id: 'a', name: 'A', maxQueueSize: 5, overflow: { type: 'queue', queueId: 'b' } });
    const b2 = q({ id: 'b', name: 'B', maxWaitSec: 60, overflow: { type: 'queue', queueId: 'c' } });
    expect(validateQueue(c, ctx(a2, b2))['afterHours.queueId']).toEqual(['overflow loop: c → a → b → c']);
  });

  it('refuses overflow to itself or to an unknown queue, and unknown escalation queues', () => {
    expect(validateQueue(q({ id: 'a', name: 'A', maxWaitSec: 30, overflow: { type: 'queue', queueId: 'a' } }), ctx())['overflow.queueId']).toEqual([
      'a queue cannot overflow to itself',
    ]);
    const errors = validateQueue(
      q({ id: 'a', name: 'A', maxWaitSec: 30, overflow: { type: 'queue', queueId: 'zz' }, escalation: [{ afterSec: 30, addQueues: ['yy'] }] }),
      ctx(),
    );
    expect(errors['overflow.queueId']).toEqual(['unknown queue "zz"']);
    expect(errors['escalation.0.addQueues.0']).toEqual(['unknown queue "yy"']);
  });

  it('requires an overflow action with a size or wait limit, and an after-hours action with hours', () => {
    const errors = validateQueue(q({ id: 'a', name: 'A', maxQueueSize: 10, businessHours: open9to5 }), ctx());
    expect(errors.overflow).toBeDefined();
    expect(errors.afterHours).toBeDefined();
  });

  it('requires escalation steps in time order, each doing something', () => {
    const errors = validateQueue(q({ id: 'a', name: 'A', escalation: [{ afterSec: 60, relaxLevels: 1 }, { afterSec: 30, relaxLevels: 0 }] }), ctx());
    expect(errors['escalation.1.afterSec']).toBeDefined();
    expect(errors['escalation.1']).toBeDefined();
  });

  it('checks a whole configuration as a set, with paths into it', () => {
    const r = validateAcdConfig({
      skills: ['en'],
      queues: [
        { id: 'a', name: 'A', maxQueueSize: 5, overflow: { type: 'queue', queueId: 'b' } },
        { id: 'b', name: 'B', maxQueueSize: 5, overflow: { type: 'queue', queueId: 'a' } },
      ],
      agents: [{ id: 'x', queues: ['a', 'nope'], skills: [{ skill: 'de', level: 4 }] }],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.fieldErrors).sort()).toEqual(['agents.0.queues.1', 'agents.0.skills.0.skill', 'queues.0.overflow.queueId', 'queues.1.overflow.queueId']);
  });
});

describe('the engine refuses impossible configurations', () => {
  it('throws a 400-coded AcdError with field errors and applies nothing', () => {
    const acd = testAcd();
    queue(acd, 'a', { maxQueueSize: 5, overflow: { type: 'message', text: 'busy' } });
    const errors = fieldErrorsOf(() => acd.engine.upsertQueue({ id: 'b', name: 'B', ringTimeoutSec: 0, skills: [{ skill: 'x', minLevel: 1 }] }));
    expect(errors.ringTimeoutSec).toBeDefined();
    expect(() => acd.engine.queueStatus('b')).toThrow(AcdError);
    const loop = fieldErrorsOf(() => acd.engine.upsertQueue({ id: 'a', name: 'A', maxQueueSize: 5, overflow: { type: 'queue', queueId: 'a' } }));
    expect(loop['overflow.queueId']).toBeDefined();
    expect(acd.engine.enqueue({ callId: 'c', queueId: 'a' }).outcome).toBe('queued');
  });

  it('refuses an agent with an unknown skill or queue and a level outside 1–10', () => {
    const acd = testAcd();
    queue(acd, 'a');
    const errors = fieldErrorsOf(() => acd.engine.upsertAgent({ id: 'x', queues: ['b'], skills: [{ skill: 'en', level: 11 }] }));
    expect(errors['skills.0.level']).toBeDefined();
    const semantic = fieldErrorsOf(() => acd.engine.upsertAgent({ id: 'x', queues: ['b'], skills: [{ skill: 'xx', level: 3 }] }));
    expect(Object.keys(semantic).sort()).toEqual(['queues.0', 'skills.0.skill']);
    expect(acd.engine.agent('x')).toBeNull();
  });

  it('refuses to remove a queue another queue overflows to', () => {
    const acd = testAcd();
    queue(acd, 'b');
    queue(acd, 'a', { maxQueueSize: 1, overflow: { type: 'queue', queueId: 'b' } });
    expect(() => acd.engine.removeQueue('b')).toThrow(/referred to by a\.overflow\.queueId/);
  });
});
