/**
 * The HostAdapter conformance suite (CONVENTIONS #5). Every CRM connector runs it against its adapter wired
 * to its fake of the vendor SDK:
 *
 * ```ts
 * import { describeHostAdapterConformance } from '@sambung/softphone/src/host-adapter.conformance.js';
 * describeHostAdapterConformance('SalesforceHost', async () => {
 *   const fake = new FakeOpenCti();
 *   return { adapter: new SalesforceHost(fake.sforce), seedRecord: …, clickToDial: …, callLogs: …, isVisible: … };
 * });
 * ```
 *
 * The harness drives the CRM side (seed a record, click a number, read back logs); the tests then hold the
 * adapter to the MUST rules in `host-adapter.ts`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  HostAdapterError,
  type CallLogEntry,
  type CallerInfo,
  type DialTarget,
  type HostAdapter,
  type HostAdapterErrorCode,
} from './host-adapter.js';

export interface HostAdapterHarness {
  /** A fresh, not yet initialised adapter talking to a fresh fake CRM. */
  readonly adapter: HostAdapter;
  /** Puts a record in the fake CRM that a screen pop can find. */
  seedRecord(record: { id: string; name: string; phone?: string; email?: string }): Promise<void>;
  /** Acts as the CRM user clicking a phone number. */
  clickToDial(target: DialTarget): Promise<void>;
  /** The call activities the fake CRM holds now. */
  callLogs(): Promise<readonly CallLogEntry[]>;
  /** Whether the fake CRM shows the softphone panel now. */
  isVisible(): Promise<boolean>;
  /** Tears the fake down (the suite closes the adapter itself). */
  dispose?(): Promise<void>;
}

export type MakeHostAdapterHarness = () => HostAdapterHarness | Promise<HostAdapterHarness>;

const caller = (overrides: Partial<CallerInfo> = {}): CallerInfo => ({
  callId: 'call-1',
  queue: 'sales',
  name: 'Siti Rahma',
  phone: '+6281234567890',
  email: 'siti@example.com',
  ...overrides,
});

const log = (overrides: Partial<CallLogEntry> = {}): CallLogEntry => ({
  callId: 'call-1',
  direction: 'inbound',
  queue: 'sales',
  caller: { name: 'Siti Rahma', phone: '+6281234567890', email: 'siti@example.com' },
  agent: { id: 'agent-1', username: 'alice', displayName: 'Alice Agent' },
  startedAt: '2030-01-01T09:00:00.000Z',
  answeredAt: '2030-01-01T09:00:05.000Z',
  endedAt: '2030-01-01T09:03:05.000Z',
  talkSeconds: 180,
  outcome: 'answered',
  ...overrides,
});

async function expectCode(promise: Promise<unknown>, code: HostAdapterErrorCode): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(HostAdapterError);
  await expect(promise).rejects.toMatchObject({ code });
}

export function describeHostAdapterConformance(name: string, makeHarness: MakeHostAdapterHarness): void {
  describe(`HostAdapter conformance: ${name}`, () => {
    let current: HostAdapterHarness | undefined;
    const fresh = async (): Promise<HostAdapterHarness> => (current = await makeHarness());
    const ready = async (): Promise<HostAdapterHarness> => {
      const harness = await fresh();
      await harness.adapter.init();
      return harness;
    };

    afterEach(async () => {
      await current?.adapter.close();
      await current?.dispose?.();
      current = undefined;
    });

    describe('name and init', () => {
      it('has a stable lowercase name', async () => {
        const { adapter } = await fresh();
        expect(adapter.name).toMatch(/^[a-z][a-z0-9-]*$/);
        expect(adapter.name).toBe(adapter.name);
      });

      it('resolves a context naming the CRM and a locale, the same one on every call', async () => {
        const { adapter } = await fresh();
        const first = await adapter.init();
        expect(first.crm).toBe(adapter.name);
        expect(first.locale).toMatch(/^[A-Za-z]{2,3}(-[A-Za-z0-9]+)*$/);
        expect(await adapter.init()).toEqual(first);
      });

      it('refuses screenPop and logCall before init with HOST_ERR_NOT_INITIALIZED', async () => {
        const { adapter } = await fresh();
        await expectCode(adapter.screenPop(caller()), 'HOST_ERR_NOT_INITIALIZED');
        await expectCode(adapter.logCall(log()), 'HOST_ERR_NOT_INITIALIZED');
      });
    });

    describe('screenPop', () => {
      it('resolves (never rejects) when nothing matches', async () => {
        const { adapter } = await ready();
        const result = await adapter.screenPop(caller({ phone: '+15550001111', email: 'nobody@example.org' }));
        expect(['none', 'created']).toContain(result.kind);
      });

      it('resolves when the caller gave neither phone nor e-mail', async () => {
        const { adapter } = await ready();
        await expect(adapter.screenPop(caller({ phone: '', email: '' }))).resolves.toBeDefined();
      });

      it('opens the single record matching the phone, whatever its formatting', async () => {
        const harness = await ready();
        await harness.seedRecord({ id: 'rec-siti', name: 'Siti Rahma', phone: '+62 812-3456-7890' });
        await harness.seedRecord({ id: 'rec-other', name: 'Budi', phone: '+62 811 0000 0000' });
        const result = await harness.adapter.screenPop(caller({ email: '' }));
        expect(result).toMatchObject({ kind: 'opened', record: { id: 'rec-siti' } });
      });

      it('falls back to the e-mail, case-insensitively, when the phone matches nothing', async () => {
        const harness = await ready();
        await harness.seedRecord({ id: 'rec-mail', name: 'Siti', email: 'Siti@Example.com' });
        const result = await harness.adapter.screenPop(caller({ phone: '+15550001111' }));
        expect(result).toMatchObject({ kind: 'opened', record: { id: 'rec-mail' } });
      });

      it('offers every candidate when several records match', async () => {
        const harness = await ready();
        await harness.seedRecord({ id: 'rec-a', name: 'Siti (home)', phone: '+6281234567890' });
        await harness.seedRecord({ id: 'rec-b', name: 'Siti (work)', phone: '+62 812 3456 7890' });
        const result = await harness.adapter.screenPop(caller());
        expect(result.kind).toBe('choose');
        if (result.kind !== 'choose') return;
        expect(result.candidates.map((c) => c.id).sort()).toEqual(['rec-a', 'rec-b']);
      });

      it('takes markup and query syntax in caller fields as plain text', async () => {
        const { adapter } = await ready();
        const hostile = caller({
          name: `<img src=x onerror="alert(1)">' OR Name LIKE '%`,
          email: `x'); DROP TABLE contacts;--@example.com`,
          phone: '',
        });
        await expect(adapter.screenPop(hostile)).resolves.toBeDefined();
      });
    });

    describe('logCall', () => {
      it('stores one activity per call id, updating it when logged again', async () => {
        const harness = await ready();
        await harness.adapter.logCall(log({ outcome: 'missed', answeredAt: undefined, talkSeconds: 0 }));
        await harness.adapter.logCall(log());
        await harness.adapter.logCall(log());
        const logs = (await harness.callLogs()).filter((entry) => entry.callId === 'call-1');
        expect(logs).toHaveLength(1);
        expect(logs[0]).toMatchObject({ outcome: 'answered', talkSeconds: 180 });
      });

      it('keeps different calls apart', async () => {
        const harness = await ready();
        await harness.adapter.logCall(log({ callId: 'call-1' }));
        await harness.adapter.logCall(log({ callId: 'call-2' }));
        expect((await harness.callLogs()).map((entry) => entry.callId).sort()).toEqual(['call-1', 'call-2']);
      });

      it('rejects an entry without a call id, ending before it started, or with negative talk time', async () => {
        const { adapter } = await ready();
        await expectCode(adapter.logCall(log({ callId: '' })), 'HOST_ERR_INVALID_ARGUMENT');
        await expectCode(adapter.logCall(log({ endedAt: '2029-12-31T23:59:59.000Z' })), 'HOST_ERR_INVALID_ARGUMENT');
        await expectCode(adapter.logCall(log({ talkSeconds: -1 })), 'HOST_ERR_INVALID_ARGUMENT');
      });
    });

    describe('onClickToDial', () => {
      it('delivers a click to every handler, in subscription order, with a trimmed phone', async () => {
        const harness = await ready();
        const seen: string[] = [];
        harness.adapter.onClickToDial((target) => seen.push(`a:${target.phone}`));
        harness.adapter.onClickToDial((target) => seen.push(`b:${target.phone}`));
        await harness.clickToDial({ phone: ' +62 812 3456 7890 ' });
        expect(seen).toEqual(['a:+62 812 3456 7890', 'b:+62 812 3456 7890']);
      });

      it('stops delivering after unsubscribe, which is safe to call twice', async () => {
        const harness = await ready();
        const seen: string[] = [];
        const off = harness.adapter.onClickToDial((target) => seen.push(target.phone));
        await harness.clickToDial({ phone: '+111111111' });
        off();
        off();
        await harness.clickToDial({ phone: '+222222222' });
        expect(seen).toEqual(['+111111111']);
      });

      it('unsubscribes only the handler it was returned for', async () => {
        const harness = await ready();
        const seen: string[] = [];
        const offA = harness.adapter.onClickToDial(() => seen.push('a'));
        harness.adapter.onClickToDial(() => seen.push('b'));
        offA();
        await harness.clickToDial({ phone: '+333333333' });
        expect(seen).toEqual(['b']);
      });

      it('keeps delivering to other handlers when one throws', async () => {
        const harness = await ready();
        const seen: string[] = [];
        const original = console.error;
        console.error = () => undefined;
        try {
          harness.adapter.onClickToDial(() => {
            throw new Error('bad handler');
          });
          harness.adapter.onClickToDial((target) => seen.push(target.phone));
          await harness.clickToDial({ phone: '+444444444' });
        } finally {
          console.error = original;
        }
        expect(seen).toEqual(['+444444444']);
      });

      it('delivers nothing after close', async () => {
        const harness = await ready();
        const seen: string[] = [];
        harness.adapter.onClickToDial((target) => seen.push(target.phone));
        await harness.adapter.close();
        await harness.clickToDial({ phone: '+555555555' }).catch(() => undefined);
        expect(seen).toEqual([]);
      });
    });

    describe('panel', () => {
      it('shows and hides the panel, idempotently', async () => {
        const harness = await ready();
        await harness.adapter.setVisible(false);
        await harness.adapter.setVisible(false);
        expect(await harness.isVisible()).toBe(false);
        await harness.adapter.setVisible(true);
        await harness.adapter.setVisible(true);
        expect(await harness.isVisible()).toBe(true);
      });

      it('accepts a positive size and rejects a non-finite or non-positive one', async () => {
        const { adapter } = await ready();
        await expect(adapter.resize({ width: 300, height: 520 })).resolves.toBeUndefined();
        await expectCode(adapter.resize({ width: 0, height: 520 }), 'HOST_ERR_INVALID_ARGUMENT');
        await expectCode(adapter.resize({ width: 300, height: -1 }), 'HOST_ERR_INVALID_ARGUMENT');
        await expectCode(adapter.resize({ width: Number.NaN, height: 520 }), 'HOST_ERR_INVALID_ARGUMENT');
        await expectCode(adapter.resize({ width: 300, height: Number.POSITIVE_INFINITY }), 'HOST_ERR_INVALID_ARGUMENT');
      });

      it('never throws from notify, whatever the kind or the text', async () => {
        const { adapter } = await ready();
        expect(() => {
          adapter.notify('Missed call from <b>Siti</b>', 'info');
          adapter.notify('', 'warning');
          adapter.notify('x'.repeat(10_000), 'error');
        }).not.toThrow();
      });
    });

    describe('close', () => {
      it('is idempotent, makes later calls reject with HOST_ERR_CLOSED and silences notify', async () => {
        const { adapter } = await ready();
        await adapter.close();
        await adapter.close();
        await expectCode(adapter.screenPop(caller()), 'HOST_ERR_CLOSED');
        await expectCode(adapter.logCall(log()), 'HOST_ERR_CLOSED');
        await expectCode(adapter.setVisible(true), 'HOST_ERR_CLOSED');
        expect(() => adapter.notify('after close', 'info')).not.toThrow();
      });
    });
  });
}
