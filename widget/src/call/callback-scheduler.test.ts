import { describe, expect, it } from 'vitest';
import { CallbackScheduler, type SchedulerBackend } from './callback-scheduler.js';
import { SchedulerStateMachine, schedulerTransitions } from './callback-scheduler-state.js';
import { IllegalTransitionError } from '../../../browser-kit/src/status-machine.js';
import { WidgetError } from './widget-errors.js';

const A = '2026-11-23T02:00:00.000Z';
const B = '2026-11-23T02:30:00.000Z';
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function backend(overrides: Partial<SchedulerBackend> = {}) {
  const log: string[] = [];
  let lists = [[A, B], [B]];
  const impl: SchedulerBackend = {
    slots: async () => {
      log.push('slots');
      const slots = lists[0]!;
      if (lists.length > 1) lists = lists.slice(1);
      return { slots, timeZone: 'Asia/Jakarta' };
    },
    book: async (request) => {
      log.push(`book ${JSON.stringify(request)}`);
      return { id: 'cb-1', at: request.at };
    },
    ...overrides,
  };
  return { impl, log };
}

function scheduler() {
  const machine = new SchedulerStateMachine();
  const states: string[] = [];
  machine.onChange((next) => states.push(next.state));
  return { machine, states, scheduler: new CallbackScheduler(machine) };
}

describe('CallbackScheduler', () => {
  it('loads the slots, books the one picked and confirms it with the known phone', async () => {
    const s = scheduler();
    const b = backend();
    s.scheduler.open(b.impl, '+6281234567890');
    await settle();
    expect(s.machine.status).toEqual({ state: 'choosing', slots: [A, B], needsPhone: false });
    await s.scheduler.pick(B, 'ignored');
    expect(b.log).toEqual(['slots', `book {"at":"${B}"}`]);
    expect(s.machine.status).toEqual({ state: 'confirmed', at: B, phone: '+6281234567890' });
    expect(s.states).toEqual(['loading', 'choosing', 'booking', 'confirmed']);
  });

  it('shows the bridge refusal of a slot and reloads the list', async () => {
    const s = scheduler();
    const b = backend({
      book: async () => {
        throw WidgetError.requestRejected(400, 'VALIDATION', 'invalid body', { at: ['that slot was just taken'] });
      },
    });
    s.scheduler.open(b.impl, '+6281234567890');
    await settle();
    await s.scheduler.pick(A);
    await settle();
    expect(s.machine.status).toEqual({ state: 'choosing', slots: [B], needsPhone: false, notice: 'That time can no longer be booked (that slot was just taken). Please pick another.' });
    expect(s.states).toEqual(['loading', 'choosing', 'booking', 'loading', 'choosing']);
  });

  it("uses the bridge's message when no field is named, and its own sentence when nothing is usable", async () => {
    const worded = scheduler();
    worded.scheduler.open(backend({
      book: async () => {
        throw WidgetError.requestRejected(400, undefined, 'that time is no longer available', undefined);
      },
    }).impl, '+62811111111');
    await settle();
    await worded.scheduler.pick(A);
    await settle();
    expect(worded.machine.status).toMatchObject({ notice: 'That time is no longer available' });

    const s = scheduler();
    s.scheduler.open(backend({
      book: async () => {
        throw WidgetError.requestRejected(400, undefined, '\u202e\u0000', { at: ['\u0007'] });
      },
    }).impl, '+62811111111');
    await settle();
    await s.scheduler.pick(A);
    await settle();
    expect(s.machine.status).toMatchObject({ state: 'choosing', notice: 'That time can no longer be booked. Please pick another.' });
  });

  it("puts the bridge's phone complaint next to the phone field in direct mode", async () => {
    const s = scheduler();
    s.scheduler.open(backend({
      book: async () => {
        throw WidgetError.requestRejected(400, undefined, 'invalid', { phone: ['not a reachable number'] });
      },
    }).impl, undefined);
    await settle();
    await s.scheduler.pick(A, '+999 123456');
    expect(s.machine.status).toEqual({ state: 'choosing', slots: [A, B], needsPhone: true, phoneError: 'Not a reachable number' });
  });

  it('keeps the list and says why when booking fails otherwise', async () => {
    const s = scheduler();
    s.scheduler.open(backend({
      book: async () => {
        throw WidgetError.unreachable(new Error('offline'));
      },
    }).impl, '+62811111111');
    await settle();
    await s.scheduler.pick(A);
    expect(s.machine.status).toMatchObject({ state: 'choosing', slots: [A, B], notice: expect.stringMatching(/reach/) });
  });

  it('reports a failed load and retries on request', async () => {
    let fail = true;
    const s = scheduler();
    s.scheduler.open(backend({
      slots: async () => {
        if (fail) throw WidgetError.bridgeFailed(503);
        return { slots: [A], timeZone: undefined };
      },
    }).impl, '+62811111111');
    await settle();
    expect(s.machine.status).toMatchObject({ state: 'failed', message: expect.stringMatching(/trouble/) });
    fail = false;
    s.scheduler.retry();
    await settle();
    expect(s.machine.state).toBe('choosing');
  });

  it('ignores picks of slots it did not offer, and picks while booking', async () => {
    const s = scheduler();
    const b = backend();
    s.scheduler.open(b.impl, '+62811111111');
    await settle();
    await s.scheduler.pick('2030-01-01T00:00:00.000Z');
    expect(s.machine.state).toBe('choosing');
    const first = s.scheduler.pick(A);
    await s.scheduler.pick(B);
    await first;
    expect(b.log.filter((l) => l.startsWith('book'))).toHaveLength(1);
  });

  it('drops answers that arrive after it was closed', async () => {
    let release!: () => void;
    const s = scheduler();
    s.scheduler.open(backend({
      slots: () => new Promise((resolve) => (release = () => resolve({ slots: [A], timeZone: undefined }))),
    }).impl, undefined);
    s.scheduler.close();
    release();
    await settle();
    expect(s.machine.state).toBe('closed');
  });
});

describe('SchedulerStateMachine', () => {
  it('refuses to book without a list', () => {
    const machine = new SchedulerStateMachine();
    expect(() => machine.transition({ state: 'booking', slots: [A], needsPhone: false, at: A }))
      .toThrow(IllegalTransitionError);
    expect(machine.state).toBe('closed');
  });

  it('can always be closed, and only re-opened by loading', () => {
    for (const [from, targets] of Object.entries(schedulerTransitions)) {
      if (from !== 'closed') expect(targets, from).toContain('closed');
    }
    expect(schedulerTransitions.closed).toEqual(['loading']);
  });
});
