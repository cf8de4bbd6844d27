import { describe, expect, it, vi } from 'vitest';
import { HostAdapterError, type CallLogEntry, type CallerInfo } from '../../softphone/src/host-adapter.js';
import { MemoryScreenPop } from './memory-screen-pop.js';
import { FakeZendesk } from './test-support/fake-zendesk.js';
import { ManualTimers } from './test-support/manual-timers.js';
import { MemoryChooser } from './test-support/memory-chooser.js';
import { ZafHostAdapter, type ZafHostAdapterOptions } from './zaf-host-adapter.js';
import { CALL_LOGGED_EVENT, DIALOUT_RELAY_EVENT } from './zaf-events.js';

const caller: CallerInfo = { callId: 'call-9', queue: 'sales', name: 'Siti', phone: '+6281234567890', email: '' };

const entry: CallLogEntry = {
  callId: 'call-9', direction: 'inbound', queue: 'sales', caller: { name: 'Siti', phone: '+6281234567890', email: '' },
  agent: { id: 'a1', username: 'ayu', displayName: 'Ayu' }, startedAt: '2030-01-01T09:00:00Z',
  endedAt: '2030-01-01T09:01:00Z', talkSeconds: 0, outcome: 'missed',
};

function setup(overrides: Partial<ZafHostAdapterOptions> = {}) {
  const zendesk = new FakeZendesk();
  const topBar = zendesk.addInstance('top_bar');
  const bridge = new MemoryScreenPop();
  const chooser = new MemoryChooser();
  const timers = new ManualTimers();
  const adapter = new ZafHostAdapter({
    client: topBar.client, screenPop: bridge.screenPop, choose: bridge.choose, chooser, timers, ...overrides,
  });
  return { zendesk, topBar, bridge, chooser, timers, adapter };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

async function expectCode(promise: Promise<unknown>, code: string): Promise<HostAdapterError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(HostAdapterError);
  expect((error as HostAdapterError).code).toBe(code);
  return error as HostAdapterError;
}

describe('ZafHostAdapter init', () => {
  it('says the page is not inside Zendesk when the SDK found no parent', async () => {
    const { adapter } = setup({ client: null });
    await expectCode(adapter.init(), 'HOST_ERR_UNAVAILABLE');
    expect(() => adapter.notify('hello', 'info')).not.toThrow();
  });

  it('builds the context from currentUser, once', async () => {
    const { adapter, zendesk, topBar } = setup();
    zendesk.currentUser = { id: 42, name: 'Ayu', email: 'ayu@example.com', locale: 'pt-br', timeZone: { ianaName: 'Asia/Jakarta' } };
    const get = vi.spyOn(topBar.client, 'get');
    const context = await adapter.init();
    expect(context).toEqual({
      crm: 'zendesk', user: { id: '42', name: 'Ayu', email: 'ayu@example.com' }, locale: 'pt-BR', timeZone: 'Asia/Jakarta',
    });
    expect(await adapter.init()).toBe(context);
    expect(get).toHaveBeenCalledTimes(1);
  });

  it('times out when Zendesk never answers, and a later init can still succeed', async () => {
    const { adapter, zendesk, timers } = setup();
    zendesk.unresponsive = true;
    const first = adapter.init();
    expect(timers.delays()).toEqual([10_000]);
    timers.fireAll();
    await expectCode(first, 'HOST_ERR_UNAVAILABLE');
    zendesk.unresponsive = false;
    await expect(adapter.init()).resolves.toMatchObject({ crm: 'zendesk' });
  });

  it('wraps an SDK error as HOST_ERR_UNAVAILABLE with the cause', async () => {
    const { adapter, zendesk } = setup();
    zendesk.failing.add('currentUser');
    const error = await expectCode(adapter.init(), 'HOST_ERR_UNAVAILABLE');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('refuses a currentUser without an id', async () => {
    const { adapter, zendesk } = setup();
    zendesk.currentUser = { name: 'Nobody' };
    await expectCode(adapter.init(), 'HOST_ERR_UNAVAILABLE');
  });

  it('refuses panel calls before init', async () => {
    const { adapter } = setup();
    await expectCode(adapter.setVisible(true), 'HOST_ERR_NOT_INITIALIZED');
    await expectCode(adapter.resize({ width: 300, height: 500 }), 'HOST_ERR_NOT_INITIALIZED');
  });
});

describe('ZafHostAdapter screenPop', () => {
  it('offers several matches and, on the agent’s pick, tells the bridge and opens the user', async () => {
    const { adapter, bridge, chooser, zendesk } = setup();
    bridge.seed({ id: '501', name: 'Siti (home)', phone: '+6281234567890' });
    bridge.seed({ id: '502', name: 'Siti (work)', phone: '0812-3456-7890' });
    await adapter.init();
    const result = await adapter.screenPop(caller);
    expect(result.kind).toBe('choose');
    expect(chooser.offered.map((c) => c.label)).toEqual(['Siti (home)', 'Siti (work)']);
    await chooser.pick(1);
    expect(bridge.chosen).toEqual([{ callId: 'call-9', record: { id: '502', label: 'Siti (work)', type: 'user' } }]);
    expect(zendesk.routes).toEqual([{ type: 'user', id: '502' }]);
    expect(chooser.offered).toEqual([]);
  });

  it('routes a ticket candidate to the ticket', async () => {
    const { adapter, bridge, chooser, zendesk } = setup();
    bridge.seed({ id: '9001', name: 'Ticket #9001', phone: '+6281234567890', type: 'ticket' });
    bridge.seed({ id: '502', name: 'Siti', phone: '+6281234567890' });
    await adapter.init();
    await adapter.screenPop(caller);
    await chooser.pick(0);
    expect(zendesk.routes).toEqual([{ type: 'ticket', id: '9001' }]);
  });

  it('warns the agent when Zendesk cannot open the pick, and still tells the bridge', async () => {
    const { adapter, bridge, chooser, zendesk } = setup();
    bridge.seed({ id: '501', name: 'Siti <b>home</b>', phone: '+6281234567890' });
    bridge.seed({ id: '502', name: 'Siti', phone: '+6281234567890' });
    await adapter.init();
    await adapter.screenPop(caller);
    zendesk.failing.add('routeTo');
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await chooser.pick(0);
    await flush();
    error.mockRestore();
    expect(bridge.chosen).toHaveLength(1);
    expect(zendesk.notifications).toEqual([
      { message: 'Could not open Siti &lt;b&gt;home&lt;/b&gt; in Zendesk.', kind: 'alert' },
    ]);
  });

  it('removes an earlier offer when the next pop opens a single record', async () => {
    const { adapter, bridge, chooser } = setup();
    bridge.seed({ id: '501', name: 'A', phone: '+6281234567890' });
    bridge.seed({ id: '502', name: 'B', phone: '+6281234567890' });
    await adapter.init();
    await adapter.screenPop(caller);
    expect(chooser.offered).toHaveLength(2);
    const result = await adapter.screenPop({ ...caller, phone: '', email: 'x@example.com' });
    expect(result.kind).toBe('none');
    expect(chooser.offered).toEqual([]);
  });

  it('wraps a failing bridge as HOST_ERR_UNAVAILABLE and bounds a silent one', async () => {
    const failing = setup({ screenPop: () => Promise.reject(new TypeError('fetch failed')) });
    await failing.adapter.init();
    const error = await expectCode(failing.adapter.screenPop(caller), 'HOST_ERR_UNAVAILABLE');
    expect(error.cause).toBeInstanceOf(TypeError);

    const silent = setup({ screenPop: () => new Promise(() => undefined) });
    await silent.adapter.init();
    const pending = silent.adapter.screenPop(caller);
    silent.timers.fireAll();
    await expectCode(pending, 'HOST_ERR_UNAVAILABLE');
  });

  it('refuses a caller without a call id', async () => {
    const { adapter } = setup();
    await adapter.init();
    await expectCode(adapter.screenPop({ ...caller, callId: ' ' }), 'HOST_ERR_INVALID_ARGUMENT');
  });
});

describe('ZafHostAdapter panel and notices', () => {
  it('clamps resize to Talk’s console guideline and sends CSS lengths', async () => {
    const { adapter, zendesk, topBar } = setup();
    await adapter.init();
    await adapter.resize({ width: 1000, height: 9000 });
    expect(zendesk.sizes.get(topBar.guid)).toEqual({ width: '320px', height: '520px' });
    await adapter.resize({ width: 10, height: 1 });
    expect(zendesk.sizes.get(topBar.guid)).toEqual({ width: '250px', height: '405px' });
    await adapter.resize({ width: 300.4, height: 450.6 });
    expect(zendesk.sizes.get(topBar.guid)).toEqual({ width: '300px', height: '451px' });
  });

  it('shows and hides the popover, and reports a refusal', async () => {
    const { adapter, zendesk, topBar } = setup();
    await adapter.init();
    await adapter.setVisible(true);
    expect(zendesk.isVisible(topBar.guid)).toBe(true);
    await adapter.setVisible(false);
    expect(zendesk.isVisible(topBar.guid)).toBe(false);
    zendesk.failing.add('popover');
    await expectCode(adapter.setVisible(true), 'HOST_ERR_UNAVAILABLE');
  });

  it('escapes notices and maps their kinds to Zendesk’s', async () => {
    const { adapter, zendesk } = setup();
    await adapter.init();
    adapter.notify('Missed call from <img src=x onerror=alert(1)> & "co"', 'info');
    adapter.notify('Careful', 'warning');
    adapter.notify('Broken', 'error');
    await flush();
    expect(zendesk.notifications).toEqual([
      { message: 'Missed call from &lt;img src=x onerror=alert(1)&gt; &amp; &quot;co&quot;', kind: 'notice' },
      { message: 'Careful', kind: 'alert' },
      { message: 'Broken', kind: 'error' },
    ]);
  });

  it('never throws from notify, even when Zendesk refuses or after close', async () => {
    const { adapter, zendesk } = setup();
    await adapter.init();
    zendesk.failing.add('notify');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(() => adapter.notify('x', 'info')).not.toThrow();
    await flush();
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
    await adapter.close();
    zendesk.failing.clear();
    adapter.notify('after close', 'info');
    await flush();
    expect(zendesk.notifications).toEqual([]);
  });
});

describe('ZafHostAdapter logCall and click-to-dial', () => {
  it('keeps one entry per call and tells only the sidebars, creating nothing in Zendesk', async () => {
    const { adapter, zendesk, topBar } = setup();
    const ticketSidebar = zendesk.addInstance('ticket_sidebar');
    zendesk.addInstance('background');
    await adapter.init();
    await adapter.logCall(entry);
    await adapter.logCall({ ...entry, outcome: 'answered', answeredAt: '2030-01-01T09:00:05Z', talkSeconds: 55 });
    await flush();
    expect(adapter.callLog()).toEqual([expect.objectContaining({ callId: 'call-9', outcome: 'answered' })]);
    expect(zendesk.triggers).toEqual([
      { from: topBar.guid, to: ticketSidebar.guid, event: CALL_LOGGED_EVENT, payload: { callId: 'call-9' } },
      { from: topBar.guid, to: ticketSidebar.guid, event: CALL_LOGGED_EVENT, payload: { callId: 'call-9' } },
    ]);
    expect(zendesk.requests).toEqual([]);
    expect(zendesk.invocations).toEqual([]);
  });

  it('still logs when the sidebars cannot be reached', async () => {
    const { adapter, zendesk } = setup();
    await adapter.init();
    zendesk.failing.add('instances');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await expect(adapter.logCall(entry)).resolves.toBeUndefined();
    await flush();
    warn.mockRestore();
    expect(adapter.callLog()).toHaveLength(1);
  });

  it('delivers relayed clicks trimmed, ignores unusable ones and unsubscribes on close', async () => {
    const { adapter, zendesk, topBar } = setup();
    const seen: string[] = [];
    adapter.onClickToDial((target) => seen.push(target.phone));
    await adapter.init();
    const background = zendesk.addInstance('background');
    background.client.instance(topBar.guid).trigger(DIALOUT_RELAY_EVENT, { number: '  +62 21 555 0101 ' });
    background.client.instance(topBar.guid).trigger(DIALOUT_RELAY_EVENT, { number: '   ' });
    background.client.instance(topBar.guid).trigger(DIALOUT_RELAY_EVENT, 'not an object');
    expect(seen).toEqual(['+62 21 555 0101']);
    await adapter.close();
    expect(topBar.client.subscribers(DIALOUT_RELAY_EVENT)).toBe(0);
  });
});
