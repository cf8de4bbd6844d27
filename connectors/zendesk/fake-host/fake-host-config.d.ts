/**
 * What the fake Zendesk agent page is given by its server (`fake/zaf-host-page.ts`), embedded as JSON in the
 * page, and what it offers tests as `window.fakeZendesk`. Types only: shared by the node server, the browser
 * page and the Chromium tests. A declaration file, so the node project (bridge-server/tsconfig.json) can import it
 * without compiling the browser folder.
 */

/** The app locations the fake page can host (manifest `location.support.*`). */
export type AppLocation = 'background' | 'top_bar' | 'ticket_sidebar' | 'user_sidebar';

export interface FakeHostConfig {
  /** Origin serving the app's assets (another port: app iframes are cross-origin, as in Zendesk). */
  readonly appOrigin: string;
  /** Path of each location's page under `appOrigin`, e.g. `top_bar.html`. */
  readonly locations: Readonly<Record<AppLocation, string>>;
  /** Same-origin endpoint the page sends `client.request()` to (Zendesk's proxy). */
  readonly proxyPath: string;
  /** `client.metadata()`: `settings` holds the public parameters only, never the secure ones. */
  readonly metadata: {
    readonly appId: number;
    readonly installationId: number;
    readonly name: string;
    readonly version: string;
    readonly settings: Readonly<Record<string, unknown>>;
  };
  /** `client.get('currentUser')`. */
  readonly currentUser: Readonly<Record<string, unknown>>;
  readonly account: { readonly subdomain: string };
}

/** Page → proxy endpoint. */
export interface ProxyRequestBody {
  readonly installationId: number;
  /** The `client.request()` options exactly as the app sent them (placeholders unsubstituted). */
  readonly options: Readonly<Record<string, unknown>>;
}

/** Proxy endpoint → page: the upstream's answer (or the proxy's own refusal). */
export interface ProxyResponseBody {
  readonly status: number;
  readonly statusText: string;
  readonly contentType: string;
  readonly body: string;
}

export interface FakeNotification {
  /** As the app sent it (Zendesk treats it as HTML). */
  readonly message: string;
  readonly kind: string;
  /** What the agent reads: the message rendered as HTML, as text. */
  readonly text: string;
  /** Elements the markup produced; 0 for a properly escaped message. */
  readonly elements: number;
  readonly from: AppLocation;
}

export interface FakeInstanceInfo {
  readonly guid: string;
  readonly location: AppLocation;
  /** Its iframe exists (top bar: opened or preloaded). */
  readonly mounted: boolean;
  /** The SDK inside completed its handshake (`app.registered` sent). */
  readonly registered: boolean;
  readonly visible: boolean;
  readonly size: { readonly width: string; readonly height: string } | null;
  /** Framework events the app subscribed to, with handler counts (`iframe.on:<event>`). */
  readonly subscriptions: Readonly<Record<string, number>>;
}

export interface FakeLogEntry {
  /** The instance that sent the message, or `zendesk` for events the page raised itself. */
  readonly location: AppLocation | 'zendesk';
  readonly type: 'handshake' | 'get' | 'set' | 'invoke' | 'trigger' | 'on' | 'off' | 'request' | 'event' | 'ignored';
  readonly name: string;
  readonly ok: boolean;
}

/** `window.fakeZendesk`: the test acts as Zendesk and its agent through this. */
export interface FakeZendeskApi {
  /** The agent clicks a phone number: `voice.dialout` `{ number }` to subscribed instances. Returns how many. */
  dialout(number: string): number;
  /** The agent clicks the app's icon in the top bar (opens the popover, loading the app if needed). */
  openTopBar(): void;
  closeTopBar(): void;
  /** The agent opens a ticket: a `ticket_sidebar` instance with this ticket. Returns its GUID. */
  openTicket(ticket: { id: number; subject?: string; requester?: { id: number; name?: string; email?: string } }): string;
  /** The agent opens a user's profile: a `user_sidebar` instance. Returns its GUID. */
  openUser(user: { id: number; name?: string; email?: string }): string;
  closeSidebar(): void;
  readonly notifications: readonly FakeNotification[];
  /** Every `routeTo` the app invoked. */
  readonly displayed: readonly { readonly type: string; readonly id: string }[];
  readonly popoverState: { readonly mounted: boolean; readonly registered: boolean; readonly visible: boolean };
  readonly instances: readonly FakeInstanceInfo[];
  readonly log: readonly FakeLogEntry[];
}
