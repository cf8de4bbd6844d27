import { describe, expect, it, vi } from 'vitest';
import { startBackgroundRelay } from './background-relay.js';
import { FakeZendesk } from './test-support/fake-zendesk.js';
import { ManualTimers } from './test-support/manual-timers.js';
import { DIALOUT_RELAY_EVENT } from './zaf-events.js';

function setup() {
  const zendesk = new FakeZendesk();
  const background = zendesk.addInstance('background');
  const topBar = zendesk.addInstance('top_bar');
  const timers = new ManualTimers();
  const relay = startBackgroundRelay(background.client, { timers });
  const heard: unknown[] = [];
  topBar.client.on(DIALOUT_RELAY_EVENT, (payload) => heard.push(payload));
  return { zendesk, background, topBar, timers, relay, heard };
}

const quiet = () => vi.spyOn(console, 'warn').mockImplementation(() => undefined);

describe('background relay', () => {
  it('preloads the top bar pane when the background registers', async () => {
    const { zendesk, topBar } = setup();
    await zendesk.emit('app.registered', { metadata: {}, context: { location: 'background' } });
    expect(zendesk.preloaded).toEqual(new Set([topBar.guid]));
    expect(zendesk.invocations).toEqual([{ guid: topBar.guid, action: 'preloadPane', args: [] }]);
  });

  it('relays voice.dialout to the top bar instance with a trimmed number', async () => {
    const { zendesk, background, topBar, heard } = setup();
    await zendesk.emit('voice.dialout', { number: '  +62 21 555 0101 ' });
    await zendesk.emit('voice.dialout', { number: 6281234567 });
    expect(heard).toEqual([{ number: '+62 21 555 0101' }, { number: '6281234567' }]);
    expect(zendesk.triggers.map((t) => [t.from, t.to])).toEqual([[background.guid, topBar.guid], [background.guid, topBar.guid]]);
  });

  it('ignores a dialout without a usable number', async () => {
    const { zendesk, heard } = setup();
    for (const payload of [{ number: '   ' }, {}, null, 'x', { number: Number.NaN }]) await zendesk.emit('voice.dialout', payload);
    expect(heard).toEqual([]);
    expect(zendesk.triggers).toEqual([]);
  });

  it('reports no top bar instance without relaying or preloading', async () => {
    const zendesk = new FakeZendesk();
    const background = zendesk.addInstance('background');
    const relay = startBackgroundRelay(background.client, { timers: new ManualTimers() });
    const warn = quiet();
    expect(await relay.preloadTopBar()).toBe(false);
    expect(await relay.relay({ number: '+1 555' })).toBe(false);
    warn.mockRestore();
    expect(zendesk.invocations).toEqual([]);
  });

  it('gives up on a Zendesk that never answers, and on one that refuses the preload', async () => {
    const { zendesk, relay, timers } = setup();
    const warn = quiet();
    zendesk.unresponsive = true;
    const preload = relay.preloadTopBar();
    await vi.waitFor(() => expect(timers.pending).toBe(1));
    timers.fireAll();
    expect(await preload).toBe(false);
    zendesk.unresponsive = false;
    zendesk.failing.add('preloadPane');
    expect(await relay.preloadTopBar()).toBe(false);
    warn.mockRestore();
  });

  it('stops relaying after close', async () => {
    const { zendesk, relay, heard } = setup();
    relay.close();
    await zendesk.emit('voice.dialout', { number: '+1 555 0100' });
    await zendesk.emit('app.registered', {});
    expect(heard).toEqual([]);
    expect(zendesk.preloaded.size).toBe(0);
  });
});
