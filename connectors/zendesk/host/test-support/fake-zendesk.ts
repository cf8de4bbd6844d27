/**
 * An in-memory Zendesk agent page for node tests: several app instances (one {@link ZafClient} each) joined by
 * a hub that answers get/invoke the way the framework does, routes `instance(guid).trigger()` between them and
 * raises framework events (`voice.dialout`) on the instances that subscribed.
 *
 * Semantics mirror the SDK (`lib/client.js`): `get` resolves `{ [path]: value }` and rejects for an unknown
 * singular path; `invoke` resolves `{ [action]: result }`; events reach handlers in subscription order.
 * The browser-side fake (`fake-host/`) speaks the real postMessage protocol; this one skips the wire.
 */
import type { ZafClient, ZafContext, ZafEventHandler, ZafMetadata, ZafRequestOptions } from '../zaf-client.js';

export interface FakeInstance {
  readonly guid: string;
  readonly location: string;
  readonly client: FakeZafClient;
  /** Extra `get` data for this instance (`ticket`, `user`). */
  readonly data: Record<string, unknown>;
}

export type RequestHandler = (options: ZafRequestOptions, from: FakeInstance) => Promise<unknown>;

export class FakeZendesk {
  currentUser: Record<string, unknown> = {
    id: 7001, name: 'Ayu Agent', email: 'ayu@example.com', locale: 'id-ID', timeZone: { ianaName: 'Asia/Jakarta' },
  };
  metadata: ZafMetadata = { appId: 1, installationId: 2, name: 'Sambung', settings: { bridge_url: 'https://bridge.example/' } };
  readonly instances = new Map<string, FakeInstance>();
  readonly notifications: { message: string; kind: string }[] = [];
  readonly routes: { type: string; id: string }[] = [];
  readonly invocations: { guid: string; action: string; args: unknown[] }[] = [];
  readonly triggers: { from: string; to: string; event: string; payload: unknown }[] = [];
  readonly requests: ZafRequestOptions[] = [];
  readonly popover = new Map<string, boolean>();
  readonly preloaded = new Set<string>();
  readonly sizes = new Map<string, unknown>();
  /** When set, every get/invoke/metadata/context/request stays pending forever (a parent that never answers). */
  unresponsive = false;
  /** Actions and paths that the framework answers with an error. */
  readonly failing = new Set<string>();
  onRequest: RequestHandler = async () => ({});
  #nextGuid = 1;

  addInstance(location: string, data: Record<string, unknown> = {}): FakeInstance {
    const guid = `guid-${location}-${this.#nextGuid++}`;
    const instance: FakeInstance = { guid, location, data, client: new FakeZafClient(this, guid, guid) };
    this.instances.set(guid, instance);
    return instance;
  }

  /** Zendesk raises a framework event: every instance with a handler for it hears it. Awaits async handlers. */
  async emit(event: string, payload: unknown): Promise<void> {
    const pending: unknown[] = [];
    for (const instance of this.instances.values()) pending.push(...instance.client.dispatch(event, payload));
    await Promise.all(pending);
  }

  isVisible(guid: string): boolean {
    return this.popover.get(guid) === true;
  }

  /** @internal */
  answer<T>(value: () => T): Promise<T> {
    if (this.unresponsive) return new Promise<T>(() => undefined);
    try {
      return Promise.resolve(value());
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

export class FakeZafClient implements ZafClient {
  readonly #handlers = new Map<string, ZafEventHandler[]>();

  constructor(
    private readonly hub: FakeZendesk,
    private readonly own: string,
    private readonly target: string,
  ) {}

  get(path: string | string[]): Promise<Record<string, unknown>> {
    return this.hub.answer(() => {
      const paths = Array.isArray(path) ? path : [path];
      const result: Record<string, unknown> = {};
      for (const p of paths) {
        const value = this.#resolve(p);
        if (value === undefined || this.hub.failing.has(p)) {
          if (!Array.isArray(path)) throw new Error(`"${p}" Could not find handler`);
          continue;
        }
        result[p] = value;
      }
      return result;
    });
  }

  invoke(action: string, ...args: unknown[]): Promise<Record<string, unknown>> {
    return this.hub.answer(() => {
      if (this.hub.failing.has(action)) throw new Error(`"${action}" failed`);
      this.hub.invocations.push({ guid: this.target, action, args });
      const location = this.hub.instances.get(this.target)?.location;
      switch (action) {
        case 'popover':
          if (location !== 'top_bar') throw new Error('"popover" is only available in the top bar');
          if (args[0] === 'show' || args[0] === 'hide') this.hub.popover.set(this.target, args[0] === 'show');
          else throw new Error('"popover" needs show or hide');
          break;
        case 'preloadPane':
          if (location !== 'top_bar') throw new Error('"preloadPane" is only available in the top bar');
          this.hub.preloaded.add(this.target);
          break;
        case 'resize':
          this.hub.sizes.set(this.target, args[0]);
          break;
        case 'notify':
          this.hub.notifications.push({ message: String(args[0]), kind: String(args[1] ?? 'notice') });
          break;
        case 'routeTo':
          this.hub.routes.push({ type: String(args[0]), id: String(args[1]) });
          break;
        default:
          throw new Error(`"${action}" Could not find handler`);
      }
      return { [action]: null };
    });
  }

  on(event: string, handler: ZafEventHandler): void {
    const list = this.#handlers.get(event) ?? [];
    list.push(handler);
    this.#handlers.set(event, list);
  }

  off(event: string, handler: ZafEventHandler): unknown {
    const list = this.#handlers.get(event) ?? [];
    const index = list.indexOf(handler);
    if (index >= 0) list.splice(index, 1);
    return handler;
  }

  trigger(event: string, payload?: unknown): void {
    this.hub.triggers.push({ from: this.own, to: this.target, event, payload });
    this.hub.instances.get(this.target)?.client.dispatch(event, payload);
  }

  instance(instanceGuid: string): ZafClient {
    return instanceGuid === this.target ? this : new FakeZafClient(this.hub, this.own, instanceGuid);
  }

  metadata(): Promise<ZafMetadata> {
    return this.hub.answer(() => this.hub.metadata);
  }

  context(): Promise<ZafContext> {
    const instance = this.hub.instances.get(this.own);
    return this.hub.answer(() => ({ instanceGuid: this.own, product: 'support', location: instance?.location ?? '' }));
  }

  request(options: ZafRequestOptions): Promise<unknown> {
    if (this.hub.unresponsive) return new Promise(() => undefined);
    this.hub.requests.push(options);
    return this.hub.onRequest(options, this.hub.instances.get(this.own)!);
  }

  /** @internal Runs this instance's handlers for `event`, returning what they returned. */
  dispatch(event: string, payload: unknown): unknown[] {
    return [...(this.#handlers.get(event) ?? [])].map((handler) => handler(payload) as unknown);
  }

  /** Handlers currently subscribed to `event` on this instance. */
  subscribers(event: string): number {
    return this.#handlers.get(event)?.length ?? 0;
  }

  #resolve(path: string): unknown {
    const instance = this.hub.instances.get(this.target);
    const roots: Record<string, unknown> = {
      currentUser: this.hub.currentUser,
      instances: Object.fromEntries([...this.hub.instances.values()].map((i) => [i.guid, { instanceGuid: i.guid, location: i.location }])),
      ...(instance?.data ?? {}),
    };
    return path.split('.').reduce<unknown>((node, key) =>
      typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined, roots);
  }
}
