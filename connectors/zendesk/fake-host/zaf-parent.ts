/**
 * The parent side of the ZAF postMessage protocol — what Zendesk's agent page does for each app iframe —
 * written from the SDK's own source (`zendesk_app_framework_sdk/lib/client.js`, 2.0.x), DOM-free so it runs in
 * node; `agent-page.ts` binds it to iframes.
 *
 * From an app iframe (always a JSON string, posted to `origin`, `appGuid` = the sender's `app_guid`):
 * ```
 *   { key: 'iframe.handshake', message: { version } }            → { key: 'zaf.app.registered', message: { metadata, context } }
 *   { key: 'iframe.on:<event>' | 'iframe.off:<event>', message: { subscriberCount } }
 *   { key: 'iframe.trigger:<event>', message, instanceGuid }     → { key: 'zaf.<event>', message } to that instance
 *   { key: 'request:<n>', message: options }                     → { key: 'zaf.request:<n>.done' | '.fail', message: { responseArgs } }
 *   { id, request: 'get' | 'set' | 'invoke', params, instanceGuid } → { id, result: { …, errors?: { [path]: { name, message, path } } } }
 * ```
 * Framework events go out as `{ key: 'zaf.<event>', message }`. Until the handshake the SDK holds everything
 * else back, so `app.registered` is what releases an app's queued calls.
 */
import type {
  AppLocation,
  FakeHostConfig,
  FakeInstanceInfo,
  FakeLogEntry,
  FakeNotification,
  ProxyResponseBody,
} from './fake-host-config.js';
import { resolvePath } from './zaf-paths.js';

export interface InstanceState {
  readonly guid: string;
  readonly location: AppLocation;
  /** Location data `get` can read (`ticket`, `user`). */
  readonly data: Readonly<Record<string, unknown>>;
  mounted: boolean;
  registered: boolean;
  visible: boolean;
  size: { width: string; height: string } | null;
  readonly subscriptions: Map<string, number>;
}

/** What the protocol needs from the page. */
export interface ParentPorts {
  newGuid(): string;
  /** Creates the instance's iframe (shown or hidden) at the URL Zendesk would give it. */
  mount(instance: InstanceState, visible: boolean): void;
  unmount(instance: InstanceState): void;
  showPane(instance: InstanceState, visible: boolean): void;
  resize(instance: InstanceState, size: { width: string; height: string }): void;
  /** Posts a JSON string to the instance's iframe, targeted at the app's origin. */
  post(instance: InstanceState, message: string): void;
  /** The notification as Zendesk shows it: the message rendered as HTML, then read as text. */
  renderNotification(message: string): { text: string; elements: number };
  /** Zendesk's proxy: sends the request server-side, substituting secure settings. */
  proxy(options: Readonly<Record<string, unknown>>): Promise<ProxyResponseBody>;
}

type Envelope = Record<string, unknown>;
type ZafError = { name: string; message: string; path?: string };

const NOTIFY_KINDS = new Set(['notice', 'alert', 'error']);
const ROUTES = new Set(['ticket', 'user', 'organization']);
const MAX_LOG = 1000;

export class ZafParent {
  readonly instances = new Map<string, InstanceState>();
  readonly notifications: FakeNotification[] = [];
  readonly displayed: { type: string; id: string }[] = [];
  readonly log: FakeLogEntry[] = [];

  constructor(
    private readonly config: FakeHostConfig,
    private readonly ports: ParentPorts,
  ) {}

  addInstance(location: AppLocation, data: Readonly<Record<string, unknown>> = {}): InstanceState {
    const instance: InstanceState = {
      guid: this.ports.newGuid(), location, data, mounted: false, registered: false, visible: false, size: null,
      subscriptions: new Map(),
    };
    this.instances.set(instance.guid, instance);
    return instance;
  }

  removeInstance(guid: string): void {
    const instance = this.instances.get(guid);
    if (!instance) return;
    if (instance.mounted) this.ports.unmount(instance);
    this.instances.delete(guid);
  }

  mount(instance: InstanceState, visible: boolean): void {
    if (instance.mounted) return;
    instance.mounted = true;
    instance.visible = visible;
    this.ports.mount(instance, visible);
  }

  /** Shows or hides a top bar pane (the agent clicking its icon, or `invoke('popover')`). */
  setPane(instance: InstanceState, visible: boolean): void {
    const was = instance.mounted && instance.visible;
    if (!instance.mounted) {
      this.mount(instance, visible);
      return;
    }
    instance.visible = visible;
    this.ports.showPane(instance, visible);
    // Support Apps API, top bar: pane.activated fires when the agent returns to an already opened app.
    if (instance.registered && was !== visible) this.#event(instance, visible ? 'pane.activated' : 'pane.deactivated', {});
  }

  /** Raises a framework event on every registered instance that subscribed to it; returns how many heard it. */
  emit(event: string, payload: unknown): number {
    let delivered = 0;
    for (const instance of this.instances.values()) {
      if (!instance.registered || (instance.subscriptions.get(event) ?? 0) === 0) continue;
      this.#event(instance, event, payload);
      delivered++;
    }
    this.#log(null, 'event', event, delivered > 0);
    return delivered;
  }

  info(instance: InstanceState): FakeInstanceInfo {
    return {
      guid: instance.guid, location: instance.location, mounted: instance.mounted, registered: instance.registered,
      visible: instance.visible, size: instance.size, subscriptions: Object.fromEntries(instance.subscriptions),
    };
  }

  /** A message from the iframe of instance `guid` (the page has matched `event.source` and origin). */
  receive(guid: string, raw: unknown): void {
    const sender = this.instances.get(guid);
    if (!sender) return;
    const data = parse(raw);
    if (!data || data['appGuid'] !== guid) {
      this.#log(sender, 'ignored', data ? 'appGuid mismatch' : 'not a ZAF message', false);
      return;
    }
    if (typeof data['request'] === 'string' && typeof data['id'] === 'number') {
      this.#call(sender, data);
      return;
    }
    const key = data['key'];
    if (typeof key !== 'string') {
      this.#log(sender, 'ignored', 'no key', false);
    } else if (key === 'iframe.handshake') {
      sender.registered = true;
      this.#log(sender, 'handshake', String((data['message'] as Envelope | undefined)?.['version'] ?? ''), true);
      this.#event(sender, 'app.registered', { metadata: this.config.metadata, context: this.#context(sender) });
    } else if (key.startsWith('iframe.on:') || key.startsWith('iframe.off:')) {
      const on = key.startsWith('iframe.on:');
      const event = key.slice(on ? 'iframe.on:'.length : 'iframe.off:'.length);
      const count = Number((data['message'] as Envelope | undefined)?.['subscriberCount']);
      sender.subscriptions.set(event, Number.isFinite(count) && count > 0 ? count : 0);
      this.#log(sender, on ? 'on' : 'off', event, true);
    } else if (key.startsWith('iframe.trigger:')) {
      this.#trigger(sender, key.slice('iframe.trigger:'.length), data);
    } else if (/^request:\d+$/.test(key)) {
      void this.#request(sender, key, data['message']);
    } else {
      this.#log(sender, 'ignored', key, false);
    }
  }

  #trigger(sender: InstanceState, event: string, data: Envelope): void {
    const target = this.instances.get(typeof data['instanceGuid'] === 'string' ? data['instanceGuid'] : sender.guid);
    const delivered = target !== undefined && target.registered;
    if (delivered) this.#event(target, event, data['message']);
    this.#log(sender, 'trigger', `${event} → ${target?.location ?? 'unknown instance'}`, delivered);
  }

  async #request(sender: InstanceState, key: string, options: unknown): Promise<void> {
    const opts = typeof options === 'string' ? { url: options } : options;
    let response: ProxyResponseBody;
    try {
      if (typeof opts !== 'object' || opts === null) throw new Error('request options must be an object or a URL');
      response = await this.ports.proxy(opts as Record<string, unknown>);
    } catch (error) {
      response = { status: 0, statusText: 'error', contentType: 'text/plain', body: String(error) };
    }
    const { ok, args } = responseArgs(response, (opts as { dataType?: unknown } | null)?.dataType);
    this.#log(sender, 'request', `${String((opts as Envelope | null)?.['type'] ?? 'GET')} ${response.status}`, ok);
    if (this.instances.get(sender.guid) === sender) {
      this.ports.post(sender, JSON.stringify({ key: `zaf.${key}.${ok ? 'done' : 'fail'}`, message: { responseArgs: args } }));
    }
  }

  #call(sender: InstanceState, data: Envelope): void {
    const id = data['id'] as number;
    const kind = data['request'] as string;
    const target = this.instances.get(typeof data['instanceGuid'] === 'string' ? data['instanceGuid'] : sender.guid);
    const reply = (body: Envelope): void => this.ports.post(sender, JSON.stringify({ id, ...body }));
    if (!target) {
      this.#log(sender, 'ignored', `${kind} for an unknown instance`, false);
      reply({ error: { name: 'Error', message: 'Unknown instance' } });
      return;
    }
    const params = data['params'];
    if (kind === 'get' && Array.isArray(params) && params.every((p) => typeof p === 'string')) {
      reply({ result: this.#get(sender, target, params as string[]) });
    } else if (kind === 'set' && typeof params === 'object' && params !== null) {
      const errors = Object.fromEntries(Object.keys(params).map((path) => [path, zafError(path, 'is not settable')]));
      this.#log(sender, 'set', Object.keys(params).join(','), false);
      reply({ result: { errors } });
    } else if (kind === 'invoke' && typeof params === 'object' && params !== null && !Array.isArray(params)) {
      reply({ result: this.#invoke(sender, target, params as Envelope) });
    } else {
      this.#log(sender, 'ignored', `malformed ${kind}`, false);
      reply({ error: { name: 'Error', message: `Malformed ${kind} request` } });
    }
  }

  #get(sender: InstanceState, target: InstanceState, paths: string[]): Envelope {
    const roots = this.#roots(target);
    const result: Envelope = {};
    const errors: Record<string, ZafError> = {};
    for (const path of paths) {
      const value = resolvePath(roots, path);
      if (value === undefined) errors[path] = zafError(path, 'Could not find handler');
      else result[path] = value;
      this.#log(sender, 'get', path, value !== undefined);
    }
    return Object.keys(errors).length > 0 ? { ...result, errors } : result;
  }

  #invoke(sender: InstanceState, target: InstanceState, actions: Envelope): Envelope {
    const result: Envelope = {};
    const errors: Record<string, ZafError> = {};
    for (const [action, args] of Object.entries(actions)) {
      try {
        if (!Array.isArray(args)) throw new Error('arguments must be an array');
        result[action] = this.#action(sender, target, action, args);
        this.#log(sender, 'invoke', action, true);
      } catch (error) {
        errors[action] = zafError(action, error instanceof Error ? error.message : String(error));
        this.#log(sender, 'invoke', action, false);
      }
    }
    return Object.keys(errors).length > 0 ? { ...result, errors } : result;
  }

  #action(sender: InstanceState, target: InstanceState, action: string, args: unknown[]): unknown {
    switch (action) {
      case 'popover': {
        if (target.location !== 'top_bar') throw new Error('is only available in the top bar');
        const [how] = args;
        if (how === 'show' || how === 'hide' || how === 'toggle') {
          this.setPane(target, how === 'toggle' ? !(target.mounted && target.visible) : how === 'show');
        } else if (isSize(how)) {
          this.#resize(target, how);
        } else {
          throw new Error('expects show, hide, toggle or { width, height }');
        }
        return null;
      }
      case 'preloadPane':
        if (target.location !== 'top_bar') throw new Error('is only available in the top bar');
        this.mount(target, false);
        return null;
      case 'resize':
        if (!isSize(args[0])) throw new Error('expects { width, height }');
        this.#resize(target, args[0]);
        return null;
      case 'notify': {
        const [message, kind = 'notice'] = args;
        if (typeof message !== 'string') throw new Error('expects a message');
        if (typeof kind !== 'string' || !NOTIFY_KINDS.has(kind)) throw new Error(`unknown kind ${String(kind)}`);
        this.notifications.push({ message, kind, ...this.ports.renderNotification(message), from: sender.location });
        return null;
      }
      case 'routeTo': {
        const [type, id] = args;
        if (typeof type !== 'string' || !ROUTES.has(type)) throw new Error(`cannot route to ${String(type)}`);
        if ((typeof id !== 'string' && typeof id !== 'number') || String(id) === '') throw new Error('expects an id');
        this.displayed.push({ type, id: String(id) });
        return null;
      }
      default:
        throw new Error('Could not find handler');
    }
  }

  #resize(target: InstanceState, size: { width: unknown; height: unknown }): void {
    const css = (v: unknown): string => (typeof v === 'number' ? `${v}px` : String(v));
    target.size = { width: css(size.width), height: css(size.height) };
    this.ports.resize(target, target.size);
  }

  #roots(target: InstanceState): Record<string, unknown> {
    const instances = Object.fromEntries([...this.instances.values()].map((i) => [i.guid, this.#context(i)]));
    return { currentUser: this.config.currentUser, currentAccount: this.config.account, instances, ...target.data };
  }

  #context(instance: InstanceState): Envelope {
    const ticket = instance.data['ticket'] as { id?: unknown } | undefined;
    const user = instance.data['user'] as { id?: unknown } | undefined;
    return {
      instanceGuid: instance.guid, product: 'support', account: this.config.account, location: instance.location,
      ...(ticket ? { ticketId: ticket.id } : {}), ...(user ? { userId: user.id } : {}),
    };
  }

  #event(instance: InstanceState, event: string, message: unknown): void {
    this.ports.post(instance, JSON.stringify({ key: `zaf.${event}`, message }));
  }

  #log(instance: InstanceState | null, type: FakeLogEntry['type'], name: string, ok: boolean): void {
    this.log.push({ location: instance?.location ?? 'zendesk', type, name, ok });
    if (this.log.length > MAX_LOG) this.log.shift();
  }
}

/** What `request()`'s promise gets: jQuery's `(data, textStatus, jqXHR)` or `(jqXHR, textStatus, error)`. */
export function responseArgs(response: ProxyResponseBody, dataType: unknown): { ok: boolean; args: unknown[] } {
  const json = dataType === 'json' || (dataType === undefined && /\bjson\b/i.test(response.contentType));
  let parsed: unknown = response.body;
  let parseFailed = false;
  if (json) {
    try {
      parsed = JSON.parse(response.body);
    } catch {
      parseFailed = true;
    }
  }
  const xhr = {
    status: response.status, statusText: response.statusText, responseText: response.body,
    ...(json && !parseFailed ? { responseJSON: parsed } : {}),
  };
  const ok = response.status >= 200 && response.status < 300;
  if (ok && !parseFailed) return { ok: true, args: [parsed, 'success', xhr] };
  return { ok: false, args: [xhr, ok ? 'parsererror' : 'error', response.statusText] };
}

function parse(raw: unknown): Envelope | null {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return null;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Envelope) : null;
}

function zafError(path: string, message: string): ZafError {
  return { name: 'Error', message, path };
}

function isSize(value: unknown): value is { width: unknown; height: unknown } {
  if (typeof value !== 'object' || value === null) return false;
  const { width, height } = value as { width?: unknown; height?: unknown };
  const ok = (v: unknown): boolean => (typeof v === 'number' && v > 0) || (typeof v === 'string' && /^\d+(\.\d+)?(px|%)?$|^auto$/.test(v));
  return ok(width) && ok(height);
}
