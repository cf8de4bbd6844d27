/**
 * The contract between the softphone and the CRM page it lives in.
 *
 * The softphone (JsSIP user agent + console UI) is the same everywhere; what differs per CRM is how it pops
 * a caller's record, hears click-to-dial, writes the call log and sizes its panel. Each CRM connector
 * implements this interface in its `host/` folder on top of the vendor's browser SDK — Salesforce Open CTI
 * (`sforce.opencti.*`), Zendesk ZAF (`ZAFClient`), the HubSpot calling extensions SDK — and must pass
 * `describeHostAdapterConformance` (see `host-adapter.conformance.ts`) against its fake of that SDK.
 *
 * Lifecycle:
 * ```
 *   new Adapter(...) ──init()──▶ ready ──close()──▶ closed
 *                                 │  screenPop · onClickToDial · logCall · setVisible · resize · notify
 * ```
 * The softphone calls `init()` once at start, `setVisible(true)` when a call rings, `screenPop()` when the
 * agent answers, `logCall()` when a call ends (answered, missed or rejected), and `close()` on unload.
 *
 * Everything in {@link CallerInfo} was typed by an anonymous visitor on a public web page. Implementations
 * MUST treat it as untrusted text: never interpolate it into HTML, and escape it for the CRM's query language
 * (SOQL, Zendesk search, HubSpot filters) or pass it as a bound parameter.
 *
 * All timestamps are ISO 8601 strings in UTC, so every type here survives `postMessage`/JSON unchanged.
 */

/** Who the agent is in the CRM, and how to format things for them. */
export interface HostContext {
  /** Equals {@link HostAdapter.name}. */
  readonly crm: string;
  /** The signed-in CRM user, or `null` when the host does not know (the standalone page). */
  readonly user: { readonly id: string; readonly name: string; readonly email?: string } | null;
  /** BCP 47 language tag of the CRM user's locale, e.g. `en-US`, `id-ID`. */
  readonly locale: string;
  /** IANA time zone of the CRM user, when the CRM exposes it. */
  readonly timeZone?: string;
}

/** A caller's contact details as the visitor entered them; empty string when not given. */
export interface CallerContact {
  readonly name: string;
  /** `+` and digits (normalised by the widget and the bridge), or empty. */
  readonly phone: string;
  readonly email: string;
}

/** The call being answered: the bridge's call id, the queue it came through and the caller. */
export interface CallerInfo extends CallerContact {
  /** The bridge's CDR id (`X-Sambung-Call-Id`); stable across re-INVITEs of the same call. */
  readonly callId: string;
  /** Queue name (`X-Sambung-Queue`). */
  readonly queue: string;
}

/** A record in the CRM (contact, lead, ticket requester, …). */
export interface RecordRef {
  readonly id: string;
  /** Human label for the record, shown as text. */
  readonly label: string;
  /** CRM object type, e.g. `Contact`, `Lead`, `user`. */
  readonly type?: string;
}

export type ScreenPopResult =
  /** Exactly one record matched and is now open in front of the agent. */
  | { readonly kind: 'opened'; readonly record: RecordRef }
  /** Several matched; the host shows the agent a choice (nothing is opened automatically). */
  | { readonly kind: 'choose'; readonly candidates: readonly RecordRef[] }
  /** None matched and the CRM's configuration says to create one, which is now open. */
  | { readonly kind: 'created'; readonly record: RecordRef }
  /** None matched and nothing was created. */
  | { readonly kind: 'none' };

/** What the CRM user clicked to call. */
export interface DialTarget {
  /** Non-empty, trimmed, as shown in the CRM (the softphone normalises it). */
  readonly phone: string;
  readonly name?: string;
  /** The record the number was clicked on, so the log can be attached to it. */
  readonly recordId?: string;
}

export interface AgentRef {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
}

export type CallOutcome =
  /** The agent answered; `answeredAt` is set and `talkSeconds` counts from it. */
  | 'answered'
  /** It rang and the caller hung up, or the bridge took it back (ring-no-answer). */
  | 'missed'
  /** The agent declined it (486 busy / 603 decline). */
  | 'rejected'
  /** Media or signalling failed before the agent could talk. */
  | 'failed';

export interface CallLogEntry {
  readonly callId: string;
  readonly direction: 'inbound' | 'outbound';
  readonly queue: string;
  readonly caller: CallerContact;
  readonly agent: AgentRef;
  /** When the softphone started ringing (inbound) or dialling (outbound). */
  readonly startedAt: string;
  readonly answeredAt?: string;
  readonly endedAt: string;
  /** Whole seconds from `answeredAt` to `endedAt`; 0 when not answered. */
  readonly talkSeconds: number;
  readonly outcome: CallOutcome;
}

export type NoticeKind = 'info' | 'warning' | 'error';

export type HostAdapterErrorCode =
  /** A method other than `init`/`onClickToDial`/`notify`/`close` was called before `init()` resolved. */
  | 'HOST_ERR_NOT_INITIALIZED'
  /** The method was called after `close()`. */
  | 'HOST_ERR_CLOSED'
  /** An argument broke this contract (empty call id, non-positive size, …). */
  | 'HOST_ERR_INVALID_ARGUMENT'
  /** The CRM or its SDK did not answer, or answered with an error. `cause` holds the vendor's error. */
  | 'HOST_ERR_UNAVAILABLE';

/** The only error type a {@link HostAdapter} rejects with. Branch on `code`, never on `message`. */
export class HostAdapterError extends Error {
  override readonly name = 'HostAdapterError';
  constructor(
    readonly code: HostAdapterErrorCode,
    message: string,
    options: { readonly cause?: unknown } = {},
  ) {
    super(message, options);
  }

  static notInitialized(method: string): HostAdapterError {
    return new HostAdapterError('HOST_ERR_NOT_INITIALIZED', `${method}() called before init()`);
  }

  static closed(method: string): HostAdapterError {
    return new HostAdapterError('HOST_ERR_CLOSED', `${method}() called after close()`);
  }

  static invalidArgument(detail: string): HostAdapterError {
    return new HostAdapterError('HOST_ERR_INVALID_ARGUMENT', detail);
  }

  static unavailable(detail: string, cause?: unknown): HostAdapterError {
    return new HostAdapterError('HOST_ERR_UNAVAILABLE', detail, { cause });
  }
}

/**
 * One CRM's browser host, as seen by the softphone.
 *
 * General rules for every member:
 * - Promises MUST reject only with {@link HostAdapterError}; anything the vendor SDK throws MUST be wrapped
 *   (`HOST_ERR_UNAVAILABLE`, original as `cause`).
 * - Methods MUST NOT wait forever on the CRM: an implementation MUST apply its own timeout (10 s is a good
 *   default) and reject with `HOST_ERR_UNAVAILABLE`.
 * - Methods MUST NOT affect the call itself: the softphone keeps signalling and media independent of the
 *   host, and treats every host failure as a notice, never as a reason to drop a call.
 * - After `close()`, promise-returning methods MUST reject with `HOST_ERR_CLOSED` and `notify` MUST do nothing.
 */
export interface HostAdapter {
  /**
   * Stable, lowercase identifier of the host: `standalone`, `salesforce`, `zendesk`, `hubspot`.
   * MUST NOT change over the adapter's life.
   */
  readonly name: string;

  /**
   * Connects to the CRM's browser SDK and says who the CRM user is.
   *
   * - MUST be idempotent: later calls MUST resolve to an equal context without a new handshake.
   * - MUST NOT prompt the user (no dialogs, no pop-ups).
   * - MUST reject with `HOST_ERR_UNAVAILABLE` when the page is not inside the CRM it was built for.
   */
  init(): Promise<HostContext>;

  /**
   * Brings the caller's record in front of the agent; the softphone calls it when the agent answers.
   *
   * - MUST search by phone first (comparing normalised digits, so `+62 812-3456-7890` finds `+6281234567890`)
   *   and then by e-mail (case-insensitive); an empty field MUST NOT match anything.
   * - One match: MUST open it and resolve `opened`. Several: MUST let the agent choose and resolve `choose`
   *   with every candidate. None: MUST resolve `none`, or `created` if the CRM is configured to create one.
   * - MUST NOT reject because nothing matched: "no match" is an answer, not an error.
   * - MUST treat every field of `caller` as untrusted text (see the module comment).
   * - MUST reject with `HOST_ERR_NOT_INITIALIZED` before `init()` resolved.
   */
  screenPop(caller: CallerInfo): Promise<ScreenPopResult>;

  /**
   * Subscribes to the CRM's click-to-dial (a phone number clicked in a record).
   *
   * - MUST deliver each click once to every handler subscribed at that moment, in subscription order, with a
   *   trimmed, non-empty `phone`.
   * - A handler that throws MUST NOT stop the other handlers, nor reach the CRM's SDK.
   * - The returned function MUST unsubscribe that handler only, and MUST be safe to call more than once.
   * - MAY be called before `init()`; MUST NOT deliver clicks after `close()`.
   */
  onClickToDial(handler: (target: DialTarget) => void): () => void;

  /**
   * Writes (or updates) the call's activity in the CRM.
   *
   * - MUST be idempotent per `callId`: a second call with the same `callId` MUST update the same activity,
   *   never create a second one (the softphone may log a call again after a reload, and the bridge's
   *   server-side outbox may have logged it first).
   * - MUST reject with `HOST_ERR_INVALID_ARGUMENT` when `callId` is empty, `endedAt` is before `startedAt`,
   *   or `talkSeconds` is negative.
   * - MUST NOT upload recordings: those go server-side through the connector's `CrmAdapter`.
   * - MUST reject with `HOST_ERR_NOT_INITIALIZED` before `init()` resolved.
   */
  logCall(log: CallLogEntry): Promise<void>;

  /**
   * Shows or hides the softphone's panel in the CRM (Open CTI `setSoftphonePanelVisibility`, ZAF `popover`,
   * HubSpot `window.focus`-style requests). The softphone calls `setVisible(true)` when a call rings.
   *
   * - MUST be idempotent and resolve once the host has applied it.
   */
  setVisible(visible: boolean): Promise<void>;

  /**
   * Asks the host for a panel size in CSS pixels.
   *
   * - MUST reject with `HOST_ERR_INVALID_ARGUMENT` unless both values are finite and positive.
   * - MAY clamp to the host's limits (e.g. Open CTI's softphone width) and resolve.
   */
  resize(size: { readonly width: number; readonly height: number }): Promise<void>;

  /**
   * Shows a short, non-blocking notice through the CRM's own notification UI.
   *
   * - MUST NOT throw, whatever the host's state.
   * - MUST render `message` as text, never as HTML.
   */
  notify(message: string, kind: NoticeKind): void;

  /**
   * Releases the SDK's listeners and anything the adapter drew. MUST be idempotent.
   */
  close(): Promise<void>;
}
