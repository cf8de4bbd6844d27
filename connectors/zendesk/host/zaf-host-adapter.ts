/**
 * The softphone's {@link HostAdapter} inside Zendesk Support, on the ZAF v2 SDK. It runs in the app's
 * `top_bar` location, where the call console lives.
 *
 * - `init()`: `client.get('currentUser')` → who the agent is, their locale and IANA time zone.
 * - `screenPop()`: the bridge does the CRM work (`POST /api/agent/calls/{callId}/screen-pop`: search Zendesk
 *   users by phone then e-mail, create the end-user when none, display it to this agent through Talk Partner
 *   Edition), injected as `screenPop`. When several users match, this adapter offers them in a chooser; the
 *   agent's pick goes to the bridge (`choose`) and opens in Zendesk (`routeTo`).
 * - `onClickToDial()`: Zendesk raises `voice.dialout` in the `background` location, which relays it here as
 *   {@link DIALOUT_RELAY_EVENT} (see `background-relay.ts`).
 * - `logCall()`: the bridge writes the voice ticket and call record server-side through its outbox, so this
 *   adapter MUST NOT create tickets (that would duplicate the server's). It keeps one entry per call id in
 *   memory ({@link ZafHostAdapter.callLog}) and tells the sidebars ({@link CALL_LOGGED_EVENT}) to refresh.
 * - `setVisible` → `popover show|hide`; `resize` → `resize` clamped to Talk's console guideline; `notify` →
 *   `notify` with the message HTML-escaped (Zendesk renders it as HTML).
 *
 * Every SDK call is bounded by a timeout and every failure becomes `HOST_ERR_UNAVAILABLE`.
 */
import {
  HostAdapterError,
  type CallLogEntry,
  type CallerInfo,
  type DialTarget,
  type HostAdapter,
  type HostContext,
  type NoticeKind,
  type RecordRef,
  type ScreenPopResult,
} from '../../softphone/src/host-adapter.js';
import { assertValidCallLog, ClickToDialHandlers } from '../../softphone/src/host-adapter-kit.js';
import type { CandidateChooser } from './candidate-chooser.js';
import { clampPanelSize, zafResizeArg, type PanelSize } from './panel-size.js';
import { bounded, DEFAULT_TIMEOUT_MS, realTimers, type Timers } from './zaf-call.js';
import { instancesFrom, type ZafClient } from './zaf-client.js';
import { hostContextFrom } from './zaf-context.js';
import { CALL_LOGGED_EVENT, DIALOUT_RELAY_EVENT, dialTargetFrom } from './zaf-events.js';
import { zafNotifyArgs } from './zaf-notify.js';

export interface ZafHostAdapterOptions {
  /** The SDK client; `null` when the page is not inside Zendesk (`init()` then rejects `HOST_ERR_UNAVAILABLE`). */
  readonly client: ZafClient | null;
  /** Asks the bridge to pop the caller (see module comment). MAY reject; rejections become `HOST_ERR_UNAVAILABLE`. */
  readonly screenPop: (caller: CallerInfo) => Promise<ScreenPopResult>;
  /** Tells the bridge which candidate the agent chose for the call. */
  readonly choose: (callId: string, record: RecordRef) => Promise<void>;
  readonly chooser: CandidateChooser;
  /** Bound on every SDK and bridge call; 10 s by default. */
  readonly timeoutMs?: number;
  readonly timers?: Timers;
}

const SIDEBAR_LOCATIONS = new Set(['ticket_sidebar', 'user_sidebar', 'new_ticket_sidebar']);

export class ZafHostAdapter implements HostAdapter {
  readonly name = 'zendesk';
  readonly #options: ZafHostAdapterOptions;
  readonly #timers: Timers;
  readonly #timeoutMs: number;
  readonly #handlers = new ClickToDialHandlers();
  readonly #logs = new Map<string, CallLogEntry>();
  #context: Promise<HostContext> | undefined;
  #initialized = false;
  #closed = false;

  constructor(options: ZafHostAdapterOptions) {
    this.#options = options;
    this.#timers = options.timers ?? realTimers;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  init(): Promise<HostContext> {
    if (this.#closed) return Promise.reject(HostAdapterError.closed('init'));
    this.#context ??= this.#connect().catch((error: unknown) => {
      this.#context = undefined; // a later init() may try again
      throw error;
    });
    return this.#context;
  }

  async screenPop(caller: CallerInfo): Promise<ScreenPopResult> {
    this.#assertReady('screenPop');
    if (typeof caller.callId !== 'string' || caller.callId.trim() === '') {
      throw HostAdapterError.invalidArgument('screenPop needs the call id');
    }
    const result = await this.#bounded(() => this.#options.screenPop(caller), 'the screen pop');
    if (this.#closed) return result;
    if (result.kind === 'choose') this.#offer(caller.callId, result.candidates);
    else this.#options.chooser.clear();
    return result;
  }

  onClickToDial(handler: (target: DialTarget) => void): () => void {
    if (this.#closed) return () => undefined;
    return this.#handlers.add(handler);
  }

  async logCall(log: CallLogEntry): Promise<void> {
    this.#assertReady('logCall');
    assertValidCallLog(log);
    this.#logs.set(log.callId, log);
    void this.#announceLogged(log.callId);
  }

  /** The calls logged in this tab, one entry per call id (latest wins), oldest first. */
  callLog(): readonly CallLogEntry[] {
    return [...this.#logs.values()];
  }

  async setVisible(visible: boolean): Promise<void> {
    this.#assertReady('setVisible');
    await this.#zaf((client) => client.invoke('popover', visible ? 'show' : 'hide'), 'popover');
  }

  async resize(size: PanelSize): Promise<void> {
    this.#assertReady('resize');
    const clamped = clampPanelSize(size);
    await this.#zaf((client) => client.invoke('resize', zafResizeArg(clamped)), 'resize');
  }

  notify(message: string, kind: NoticeKind): void {
    if (this.#closed || !this.#options.client) return;
    try {
      const [html, zafKind] = zafNotifyArgs(message, kind);
      this.#zaf((client) => client.invoke('notify', html, zafKind), 'notify')
        .catch((error: unknown) => console.warn('[sambung] notify failed', error));
    } catch (error) {
      console.warn('[sambung] notify failed', error);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#handlers.clear();
    this.#options.client?.off(DIALOUT_RELAY_EVENT, this.#onRelayedDial);
    this.#options.chooser.clear();
  }

  async #connect(): Promise<HostContext> {
    const { client } = this.#options;
    if (!client) throw HostAdapterError.unavailable('Not inside Zendesk: the page has no ZAF origin/app_guid');
    const result = await this.#zaf((c) => c.get('currentUser'), 'currentUser');
    const context = hostContextFrom(result['currentUser'], this.name);
    if (this.#closed) throw HostAdapterError.closed('init');
    if (!this.#initialized) {
      this.#initialized = true;
      client.on(DIALOUT_RELAY_EVENT, this.#onRelayedDial);
    }
    return context;
  }

  readonly #onRelayedDial = (payload: unknown): void => {
    const target = dialTargetFrom(payload);
    if (this.#closed || !target) return;
    this.#handlers.deliver(target);
  };

  #offer(callId: string, candidates: readonly RecordRef[]): void {
    this.#options.chooser.show(candidates, async (record) => {
      if (this.#closed) return;
      this.#options.chooser.clear();
      const [chosen, opened] = await Promise.allSettled([
        this.#bounded(() => this.#options.choose(callId, record), 'the chosen record'),
        this.#zaf((client) => client.invoke('routeTo', routeType(record), record.id), 'routeTo'),
      ]);
      if (chosen.status === 'rejected') console.error('[sambung] could not tell the bridge', chosen.reason);
      if (opened.status === 'rejected') {
        console.error('[sambung] routeTo failed', opened.reason);
        this.notify(`Could not open ${record.label || 'the record'} in Zendesk.`, 'warning');
      }
    });
  }

  /** Best effort: the sidebars refresh their recent calls; a failure here does not fail the log. */
  async #announceLogged(callId: string): Promise<void> {
    try {
      const instances = instancesFrom(await this.#zaf((client) => client.get('instances'), 'instances'));
      for (const { guid, location } of instances) {
        if (SIDEBAR_LOCATIONS.has(location)) this.#options.client?.instance(guid).trigger(CALL_LOGGED_EVENT, { callId });
      }
    } catch (error) {
      console.warn('[sambung] could not tell the sidebars about the call', error);
    }
  }

  #zaf<T>(call: (client: ZafClient) => Promise<T>, what: string): Promise<T> {
    const { client } = this.#options;
    if (!client) return Promise.reject(HostAdapterError.unavailable('Not inside Zendesk'));
    return this.#bounded(() => call(client), what);
  }

  #bounded<T>(call: () => Promise<T>, what: string): Promise<T> {
    return bounded(call, what, this.#timers, this.#timeoutMs);
  }

  #assertReady(method: string): void {
    if (this.#closed) throw HostAdapterError.closed(method);
    if (!this.#initialized) throw HostAdapterError.notInitialized(method);
  }
}

/** `routeTo` takes `ticket`, `user` or `organization`; a caller's record is a user unless it says otherwise. */
function routeType(record: RecordRef): 'ticket' | 'user' | 'organization' {
  return record.type === 'ticket' || record.type === 'organization' ? record.type : 'user';
}
