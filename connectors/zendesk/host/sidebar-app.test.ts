import { describe, expect, it, vi } from 'vitest';
import type { RecentCallsState } from './recent-calls-view.js';
import { startSidebar, type SidebarView } from './sidebar-app.js';
import { FakeZendesk } from './test-support/fake-zendesk.js';
import { ManualTimers } from './test-support/manual-timers.js';
import { CALL_LOGGED_EVENT } from './zaf-events.js';

const calls = {
  calls: [{ callId: 'c1', startedAt: '2030-01-01T09:00:00Z', direction: 'inbound', queue: 'sales', agent: 'Ayu',
    durationSec: 30, outcome: 'answered', recordingUrl: 'https://bridge.example/recordings/c1.wav' }],
};

class RecordingView implements SidebarView {
  readonly states: RecentCallsState[] = [];
  render(state: RecentCallsState): void {
    this.states.push(state);
  }
  get last(): RecentCallsState | undefined {
    return this.states.at(-1);
  }
}

function setup(location: string, data: Record<string, unknown>) {
  const zendesk = new FakeZendesk();
  const sidebar = zendesk.addInstance(location, data);
  const view = new RecordingView();
  const created: { locale: string; timeZone?: string }[] = [];
  const timers = new ManualTimers();
  const rendered = vi.fn();
  const start = () => startSidebar({
    client: sidebar.client,
    createView: (locale, timeZone) => {
      created.push({ locale, ...(timeZone ? { timeZone } : {}) });
      return view;
    },
    timers,
    onRendered: rendered,
  });
  zendesk.onRequest = async () => calls;
  return { zendesk, sidebar, view, created, timers, rendered, start };
}

const quiet = () => vi.spyOn(console, 'error').mockImplementation(() => undefined);

describe('sidebar recent calls', () => {
  it('loads the viewed user’s calls through the proxy with the secure tenant key placeholder', async () => {
    const { zendesk, view, created, rendered, start } = setup('user_sidebar', { user: { id: 4242, name: 'Siti' } });
    await start();
    expect(created).toEqual([{ locale: 'id-ID', timeZone: 'Asia/Jakarta' }]);
    expect(zendesk.requests).toEqual([{
      url: 'https://bridge.example/api/crm-app/recent-calls?contact_id=4242', type: 'GET', dataType: 'json',
      secure: true, cors: false, headers: { Authorization: 'Bearer {{setting.tenant_key}}' },
    }]);
    expect(view.states.map((s) => s.kind)).toEqual(['loading', 'calls']);
    expect(view.last).toMatchObject({ kind: 'calls', calls: [{ callId: 'c1', recordingUrl: 'https://bridge.example/recordings/c1.wav' }] });
    expect(rendered).toHaveBeenCalledTimes(2);
  });

  it('uses the ticket requester in the ticket sidebar, and shows nothing to load without one', async () => {
    const withRequester = setup('ticket_sidebar', { ticket: { id: 9, requester: { id: '77' } } });
    await withRequester.start();
    expect(withRequester.zendesk.requests[0]!.url).toContain('contact_id=77');

    const noRequester = setup('ticket_sidebar', { ticket: { id: 10, requester: { id: null } } });
    await noRequester.start();
    expect(noRequester.zendesk.requests).toEqual([]);
    expect(noRequester.view.last).toEqual({ kind: 'calls', calls: [] });
  });

  it('reloads when the top bar logs a call, and stops after close', async () => {
    const { zendesk, sidebar, start } = setup('user_sidebar', { user: { id: 1 } });
    const app = await start();
    const topBar = zendesk.addInstance('top_bar');
    topBar.client.instance(sidebar.guid).trigger(CALL_LOGGED_EVENT, { callId: 'c1' });
    await vi.waitFor(() => expect(zendesk.requests).toHaveLength(2));
    app.close();
    topBar.client.instance(sidebar.guid).trigger(CALL_LOGGED_EVENT, { callId: 'c2' });
    await new Promise((r) => setTimeout(r, 0));
    expect(zendesk.requests).toHaveLength(2);
  });

  it('explains a refused tenant key, other failures and a malformed answer', async () => {
    const error = quiet();
    const refused = setup('user_sidebar', { user: { id: 1 } });
    refused.zendesk.onRequest = () => Promise.reject({ status: 401, responseText: '{"error":"bad key"}' });
    await refused.start();
    expect(refused.view.last).toEqual({ kind: 'error', message: 'The Sambung bridge refused the tenant key: check the app settings.' });

    const broken = setup('user_sidebar', { user: { id: 1 } });
    broken.zendesk.onRequest = () => Promise.reject({ status: 502, responseText: '' });
    await broken.start();
    expect(broken.view.last).toEqual({ kind: 'error', message: 'Could not load recent calls from Sambung. Try again later.' });

    const garbled = setup('user_sidebar', { user: { id: 1 } });
    garbled.zendesk.onRequest = async () => '<html>';
    await garbled.start();
    expect(garbled.view.last?.kind).toBe('error');
    error.mockRestore();
  });

  it('refuses other locations and a missing bridge URL', async () => {
    const elsewhere = setup('top_bar', {});
    await elsewhere.start();
    expect(elsewhere.view.last).toEqual({ kind: 'error', message: 'Recent calls are not available in this location (top_bar).' });

    const unconfigured = setup('user_sidebar', { user: { id: 1 } });
    unconfigured.zendesk.metadata = { settings: {} };
    await unconfigured.start();
    expect(unconfigured.view.last).toEqual({ kind: 'error', message: 'Set the Sambung bridge URL in the app settings.' });
    expect(unconfigured.zendesk.requests).toEqual([]);
  });

  it('gives up when Zendesk never answers', async () => {
    const error = quiet();
    const { zendesk, timers, view, created, start } = setup('user_sidebar', { user: { id: 1 } });
    zendesk.unresponsive = true;
    const started = start();
    await vi.waitFor(() => expect(timers.pending).toBe(3));
    timers.fireAll();
    await started;
    error.mockRestore();
    expect(created).toEqual([{ locale: 'en' }]);
    expect(view.last).toEqual({ kind: 'error', message: 'Zendesk did not answer. Reload the app.' });
  });
});
