/**
 * The host adapter for the softphone's own page (`/agent`), used when no CRM embeds it: the page itself
 * plays the CRM. Screen pop shows a caller card, click-to-dial comes from a text field, `logCall` keeps a
 * "recent calls" list (which doubles as the directory a returning caller is recognised from), and
 * `setVisible`/`resize` adjust the console.
 *
 * The logic lives here and talks to the page only through {@link StandaloneView}, a DOM-free port, so it
 * runs — and passes the HostAdapter conformance suite — in node. `standalone-dom-view.ts` is the real view.
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
} from './host-adapter.js';
import { emailsMatch, phonesMatch } from './phone-match.js';
import { assertValidCallLog, ClickToDialHandlers } from './host-adapter-kit.js';

/** A person the standalone host knows: seeded, or learnt from a logged call. */
export interface DirectoryRecord {
  readonly id: string;
  readonly name: string;
  readonly phone?: string;
  readonly email?: string;
}

export interface CallerCard {
  readonly caller: CallerInfo;
  readonly result: ScreenPopResult;
}

/** What the standalone host needs from its page. Implementations render text only. */
export interface StandaloneView {
  showCallerCard(card: CallerCard): void;
  showRecentCalls(entries: readonly CallLogEntry[]): void;
  /** Subscribes to the page's "dial" field; returns an unsubscribe function. */
  onDialRequest(handler: (raw: string) => void): () => void;
  setVisible(visible: boolean): void;
  setSize(size: { readonly width: number; readonly height: number }): void;
  showNotice(message: string, kind: NoticeKind): void;
  dispose(): void;
}

export interface StandaloneHostOptions {
  readonly view: StandaloneView;
  /** BCP 47; defaults to `en`. The page passes `navigator.language`. */
  readonly locale?: string;
  readonly timeZone?: string;
  /** People known before any call (tests seed it; a deployment could load an address book). */
  readonly directory?: readonly DirectoryRecord[];
  /** How many calls the recent list keeps. */
  readonly recentLimit?: number;
}

const MAX_SIZE = 4096;

export class StandaloneHost implements HostAdapter {
  readonly name = 'standalone';
  readonly #view: StandaloneView;
  readonly #context: HostContext;
  readonly #directory: DirectoryRecord[];
  readonly #logs = new Map<string, CallLogEntry>();
  readonly #handlers = new ClickToDialHandlers();
  readonly #recentLimit: number;
  #initialized = false;
  #closed = false;
  #stopDialListening: (() => void) | undefined;

  constructor(options: StandaloneHostOptions) {
    this.#view = options.view;
    this.#context = {
      crm: this.name,
      user: null,
      locale: options.locale ?? 'en',
      ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    };
    this.#directory = [...(options.directory ?? [])];
    this.#recentLimit = options.recentLimit ?? 20;
  }

  async init(): Promise<HostContext> {
    if (this.#closed) throw HostAdapterError.closed('init');
    if (!this.#initialized) {
      this.#initialized = true;
      this.#stopDialListening = this.#view.onDialRequest((raw) => this.#dial(raw));
      this.#view.showRecentCalls([]);
    }
    return this.#context;
  }

  /** Adds a person the caller card can recognise. */
  addRecord(record: DirectoryRecord): void {
    const index = this.#directory.findIndex((existing) => existing.id === record.id);
    if (index >= 0) this.#directory[index] = record;
    else this.#directory.push(record);
  }

  async screenPop(caller: CallerInfo): Promise<ScreenPopResult> {
    this.#assertReady('screenPop');
    const byPhone = this.#directory.filter((r) => r.phone !== undefined && phonesMatch(r.phone, caller.phone));
    const matches = byPhone.length > 0
      ? byPhone
      : this.#directory.filter((r) => r.email !== undefined && emailsMatch(r.email, caller.email));
    const refs: RecordRef[] = matches.map((r) => ({ id: r.id, label: r.name, type: 'Caller' }));
    const result: ScreenPopResult =
      refs.length === 0 ? { kind: 'none' }
        : refs.length === 1 ? { kind: 'opened', record: refs[0]! }
          : { kind: 'choose', candidates: refs };
    this.#view.showCallerCard({ caller, result });
    return result;
  }

  onClickToDial(handler: (target: DialTarget) => void): () => void {
    if (this.#closed) return () => undefined;
    return this.#handlers.add(handler);
  }

  async logCall(log: CallLogEntry): Promise<void> {
    this.#assertReady('logCall');
    assertValidCallLog(log);
    // Map insertion order keeps the first time a call was logged; an update replaces the value in place.
    this.#logs.set(log.callId, log);
    while (this.#logs.size > this.#recentLimit) this.#logs.delete(this.#logs.keys().next().value!);
    this.#learn(log);
    this.#view.showRecentCalls([...this.#logs.values()].reverse());
  }

  async setVisible(visible: boolean): Promise<void> {
    this.#assertOpen('setVisible');
    this.#view.setVisible(visible);
  }

  async resize(size: { readonly width: number; readonly height: number }): Promise<void> {
    this.#assertOpen('resize');
    const { width, height } = size;
    if (!(Number.isFinite(width) && Number.isFinite(height) && width > 0 && height > 0)) {
      throw HostAdapterError.invalidArgument(`resize needs finite positive numbers, got ${width}×${height}`);
    }
    this.#view.setSize({ width: Math.min(Math.round(width), MAX_SIZE), height: Math.min(Math.round(height), MAX_SIZE) });
  }

  notify(message: string, kind: NoticeKind): void {
    if (this.#closed) return;
    try {
      this.#view.showNotice(String(message), kind);
    } catch (error) {
      console.error('[softphone] notice failed', error);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#handlers.clear();
    this.#stopDialListening?.();
    this.#view.dispose();
  }

  #dial(raw: string): void {
    const phone = raw.trim();
    if (this.#closed || phone === '') return;
    const target: DialTarget = { phone };
    this.#handlers.deliver(target);
  }

  /** A caller who has called before is recognised next time (by phone, else by e-mail). */
  #learn(log: CallLogEntry): void {
    const { name, phone, email } = log.caller;
    if (phone === '' && email === '') return;
    const known = this.#directory.find(
      (r) => (phone !== '' && r.phone !== undefined && phonesMatch(r.phone, phone))
        || (email !== '' && r.email !== undefined && emailsMatch(r.email, email)),
    );
    if (known) return;
    this.addRecord({
      id: `caller:${phone || email.toLowerCase()}`,
      name: name || phone || email,
      ...(phone ? { phone } : {}),
      ...(email ? { email } : {}),
    });
  }

  #assertOpen(method: string): void {
    if (this.#closed) throw HostAdapterError.closed(method);
  }

  #assertReady(method: string): void {
    this.#assertOpen(method);
    if (!this.#initialized) throw HostAdapterError.notInitialized(method);
  }
}
