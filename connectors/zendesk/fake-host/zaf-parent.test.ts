import { describe, expect, it } from 'vitest';
import type { FakeHostConfig, ProxyResponseBody } from './fake-host-config.js';
import { responseArgs, ZafParent, type InstanceState, type ParentPorts } from './zaf-parent.js';

const config: FakeHostConfig = {
  appOrigin: 'http://127.0.0.1:2',
  locations: { background: 'background.html', top_bar: 'top_bar.html', ticket_sidebar: 'sidebar.html', user_sidebar: 'sidebar.html' },
  proxyPath: '/proxy/apps/request',
  metadata: { appId: 1, installationId: 2, name: 'Sambung', version: '1.0.0', settings: { bridge_url: 'https://bridge.example/' } },
  currentUser: { id: 7, name: 'Ayu', locale: 'id-ID' },
  account: { subdomain: 'acme' },
};

/** The page around the protocol: records what would reach each iframe. */
class RecordingPorts implements ParentPorts {
  readonly posted: { guid: string; message: Record<string, unknown> }[] = [];
  readonly mounted: { guid: string; visible: boolean }[] = [];
  readonly panes: { guid: string; visible: boolean }[] = [];
  proxied: Readonly<Record<string, unknown>>[] = [];
  answer: () => Promise<ProxyResponseBody> = async () => ({ status: 200, statusText: 'OK', contentType: 'application/json', body: '{"ok":true}' });
  #guid = 0;
  newGuid = () => `g${++this.#guid}`;
  mount = (i: InstanceState, visible: boolean) => void this.mounted.push({ guid: i.guid, visible });
  unmount = () => undefined;
  showPane = (i: InstanceState, visible: boolean) => void this.panes.push({ guid: i.guid, visible });
  resize = () => undefined;
  post = (i: InstanceState, message: string) => void this.posted.push({ guid: i.guid, message: JSON.parse(message) });
  renderNotification = (message: string) => ({ text: message.replace(/<[^>]*>/g, ''), elements: (message.match(/<[a-z]/gi) ?? []).length });
  proxy = (options: Readonly<Record<string, unknown>>) => {
    this.proxied.push(options);
    return this.answer();
  };
  to(guid: string) {
    return this.posted.filter((p) => p.guid === guid).map((p) => p.message);
  }
}

function setup() {
  const ports = new RecordingPorts();
  const parent = new ZafParent(config, ports);
  const background = parent.addInstance('background');
  parent.mount(background, false);
  const topBar = parent.addInstance('top_bar');
  return { ports, parent, background, topBar };
}

/** What the SDK posts: a JSON string with the sender's app_guid. */
const send = (parent: ZafParent, from: InstanceState, body: Record<string, unknown>) =>
  parent.receive(from.guid, JSON.stringify({ appGuid: from.guid, instanceGuid: from.guid, ...body }));

const handshake = (parent: ZafParent, instance: InstanceState) =>
  send(parent, instance, { key: 'iframe.handshake', message: { version: '2.0.9' } });

describe('ZafParent handshake and events', () => {
  it('answers the handshake with app.registered carrying metadata and the instance context', () => {
    const { ports, parent, background } = setup();
    handshake(parent, background);
    expect(background.registered).toBe(true);
    expect(ports.to(background.guid)).toEqual([{
      key: 'zaf.app.registered',
      message: {
        metadata: config.metadata,
        context: { instanceGuid: background.guid, product: 'support', account: { subdomain: 'acme' }, location: 'background' },
      },
    }]);
  });

  it('ignores messages that are not ZAF JSON or claim another sender', () => {
    const { ports, parent, background, topBar } = setup();
    parent.receive(background.guid, 'not json');
    parent.receive(background.guid, JSON.stringify({ appGuid: topBar.guid, key: 'iframe.handshake' }));
    parent.receive('unknown', JSON.stringify({ appGuid: 'unknown', key: 'iframe.handshake' }));
    expect(background.registered).toBe(false);
    expect(ports.posted).toEqual([]);
    expect(parent.log.map((e) => e.type)).toEqual(['ignored', 'ignored']);
  });

  it('raises framework events only on registered instances that subscribed', () => {
    const { ports, parent, background, topBar } = setup();
    handshake(parent, background);
    expect(parent.emit('voice.dialout', { number: '+1' })).toBe(0);
    send(parent, background, { key: 'iframe.on:voice.dialout', message: { subscriberCount: 1 } });
    parent.mount(topBar, false);
    handshake(parent, topBar);
    expect(parent.emit('voice.dialout', { number: '+62 21 555' })).toBe(1);
    expect(ports.to(background.guid).at(-1)).toEqual({ key: 'zaf.voice.dialout', message: { number: '+62 21 555' } });
    send(parent, background, { key: 'iframe.off:voice.dialout', message: { subscriberCount: 0 } });
    expect(parent.emit('voice.dialout', { number: '+1' })).toBe(0);
  });

  it('delivers instance(guid).trigger to that instance once it is registered', () => {
    const { ports, parent, background, topBar } = setup();
    handshake(parent, background);
    send(parent, background, { key: 'iframe.trigger:sambung.dialout', message: { number: '+1' }, instanceGuid: topBar.guid });
    expect(ports.to(topBar.guid)).toEqual([]);
    parent.mount(topBar, false);
    handshake(parent, topBar);
    send(parent, background, { key: 'iframe.trigger:sambung.dialout', message: { number: '+2' }, instanceGuid: topBar.guid });
    expect(ports.to(topBar.guid).at(-1)).toEqual({ key: 'zaf.sambung.dialout', message: { number: '+2' } });
    expect(parent.log.filter((e) => e.type === 'trigger').map((e) => e.ok)).toEqual([false, true]);
  });
});

describe('ZafParent get/set/invoke', () => {
  it('answers get by path, with per-path errors, for itself or another instance', () => {
    const { ports, parent, background, topBar } = setup();
    const sidebar = parent.addInstance('ticket_sidebar', { ticket: { id: 9, requester: { id: 77 } } });
    send(parent, background, { id: 1, request: 'get', params: ['currentUser.locale', 'ticket.id'] });
    send(parent, background, { id: 2, request: 'get', params: ['ticket.requester.id'], instanceGuid: sidebar.guid });
    send(parent, background, { id: 3, request: 'get', params: ['instances'] });
    expect(ports.to(background.guid)[0]).toEqual({
      id: 1,
      result: { 'currentUser.locale': 'id-ID', errors: { 'ticket.id': { name: 'Error', message: 'Could not find handler', path: 'ticket.id' } } },
    });
    expect(ports.to(background.guid)[1]).toEqual({ id: 2, result: { 'ticket.requester.id': 77 } });
    const instances = (ports.to(background.guid)[2]!['result'] as { instances: Record<string, { location: string }> }).instances;
    expect(Object.entries(instances).map(([guid, i]) => [guid, i.location]))
      .toEqual([[background.guid, 'background'], [topBar.guid, 'top_bar'], [sidebar.guid, 'ticket_sidebar']]);
  });

  it('refuses set, malformed params and unknown instances', () => {
    const { ports, parent, background } = setup();
    send(parent, background, { id: 1, request: 'set', params: { 'ticket.subject': 'x' } });
    send(parent, background, { id: 2, request: 'get', params: 'currentUser' });
    send(parent, background, { id: 3, request: 'invoke', params: { notify: ['x'] }, instanceGuid: 'gone' });
    expect(ports.to(background.guid)).toEqual([
      { id: 1, result: { errors: { 'ticket.subject': { name: 'Error', message: 'is not settable', path: 'ticket.subject' } } } },
      { id: 2, error: { name: 'Error', message: 'Malformed get request' } },
      { id: 3, error: { name: 'Error', message: 'Unknown instance' } },
    ]);
  });

  it('preloads the top bar hidden, shows it, and tells it when it is activated again', () => {
    const { ports, parent, background, topBar } = setup();
    send(parent, background, { id: 1, request: 'invoke', params: { preloadPane: [] }, instanceGuid: topBar.guid });
    expect(ports.mounted.at(-1)).toEqual({ guid: topBar.guid, visible: false });
    handshake(parent, topBar);
    send(parent, topBar, { id: 2, request: 'invoke', params: { popover: ['show'] } });
    send(parent, topBar, { id: 3, request: 'invoke', params: { popover: ['hide'] } });
    expect(ports.panes).toEqual([{ guid: topBar.guid, visible: true }, { guid: topBar.guid, visible: false }]);
    expect(ports.to(topBar.guid).map((m) => m['key'] ?? m['id'])).toEqual(['zaf.app.registered', 'zaf.pane.activated', 2, 'zaf.pane.deactivated', 3]);
  });

  it('refuses top-bar actions elsewhere and actions it does not know', () => {
    const { ports, parent, background } = setup();
    send(parent, background, { id: 1, request: 'invoke', params: { popover: ['show'], preloadPane: [], 'instances.create': [{}] } });
    const { errors } = ports.to(background.guid)[0]!['result'] as { errors: Record<string, { message: string }> };
    expect(Object.keys(errors)).toEqual(['popover', 'preloadPane', 'instances.create']);
  });

  it('records notifications, their kind and how they read, and refuses unknown kinds', () => {
    const { ports, parent, topBar } = setup();
    parent.mount(topBar, false);
    send(parent, topBar, { id: 1, request: 'invoke', params: { notify: ['Call from &lt;b&gt;Siti&lt;/b&gt;', 'alert'] } });
    send(parent, topBar, { id: 2, request: 'invoke', params: { notify: ['plain'] } });
    send(parent, topBar, { id: 3, request: 'invoke', params: { notify: ['x', 'warning'] } });
    expect(parent.notifications).toEqual([
      { message: 'Call from &lt;b&gt;Siti&lt;/b&gt;', kind: 'alert', text: 'Call from &lt;b&gt;Siti&lt;/b&gt;', elements: 0, from: 'top_bar' },
      { message: 'plain', kind: 'notice', text: 'plain', elements: 0, from: 'top_bar' },
    ]);
    expect(ports.to(topBar.guid)[2]).toMatchObject({ id: 3, result: { errors: { notify: { message: 'unknown kind warning' } } } });
  });

  it('records routeTo and resizes with CSS lengths', () => {
    const { parent, topBar } = setup();
    parent.mount(topBar, false);
    send(parent, topBar, { id: 1, request: 'invoke', params: { routeTo: ['user', 501] } });
    send(parent, topBar, { id: 2, request: 'invoke', params: { routeTo: ['nav_bar', 'x'] } });
    send(parent, topBar, { id: 3, request: 'invoke', params: { resize: [{ width: 320, height: '520px' }] } });
    send(parent, topBar, { id: 4, request: 'invoke', params: { resize: [{ width: 'wide', height: 1 }] } });
    expect(parent.displayed).toEqual([{ type: 'user', id: '501' }]);
    expect(topBar.size).toEqual({ width: '320px', height: '520px' });
  });
});

describe('ZafParent requests', () => {
  it('sends request:<n> through the proxy and answers request:<n>.done with jQuery’s arguments', async () => {
    const { ports, parent, background } = setup();
    const options = { url: 'https://bridge.example/x', type: 'GET', secure: true, headers: { Authorization: 'Bearer {{setting.tenant_key}}' } };
    send(parent, background, { key: 'request:1', message: options });
    await new Promise((r) => setTimeout(r, 0));
    expect(ports.proxied).toEqual([options]);
    expect(ports.to(background.guid)).toEqual([{
      key: 'zaf.request:1.done',
      message: { responseArgs: [{ ok: true }, 'success', { status: 200, statusText: 'OK', responseText: '{"ok":true}', responseJSON: { ok: true } }] },
    }]);
  });

  it('answers request:<n>.fail on an HTTP error or when the proxy cannot be reached', async () => {
    const { ports, parent, background } = setup();
    ports.answer = async () => ({ status: 403, statusText: 'Proxy refused', contentType: 'text/plain', body: 'proxy: not whitelisted' });
    send(parent, background, { key: 'request:1', message: { url: 'https://x.example/' } });
    ports.answer = () => Promise.reject(new TypeError('Failed to fetch'));
    send(parent, background, { key: 'request:2', message: { url: 'https://x.example/' } });
    await new Promise((r) => setTimeout(r, 0));
    const [first, second] = ports.to(background.guid);
    expect(first).toEqual({
      key: 'zaf.request:1.fail',
      message: { responseArgs: [{ status: 403, statusText: 'Proxy refused', responseText: 'proxy: not whitelisted' }, 'error', 'Proxy refused'] },
    });
    expect(second).toMatchObject({ key: 'zaf.request:2.fail', message: { responseArgs: [{ status: 0 }, 'error', 'error'] } });
  });
});

describe('responseArgs', () => {
  it('parses JSON by dataType or content type, and fails on unparseable JSON', () => {
    const json = { status: 200, statusText: 'OK', contentType: 'application/json; charset=utf-8', body: '[1]' };
    const head = (r: { ok: boolean; args: unknown[] }) => [r.ok, ...r.args.slice(0, 2)];
    expect(head(responseArgs(json, undefined))).toEqual([true, [1], 'success']);
    expect(head(responseArgs(json, 'text'))).toEqual([true, '[1]', 'success']);
    const garbled = responseArgs({ ...json, contentType: 'text/html', body: '<html>' }, 'json');
    expect(garbled).toEqual({ ok: false, args: [{ status: 200, statusText: 'OK', responseText: '<html>' }, 'parsererror', 'OK'] });
  });
});
