/**
 * What the `ticket_sidebar` and `user_sidebar` locations do: show the requester's (or the viewed user's)
 * recent calls with their recordings, fetched from the bridge through Zendesk's proxy so the tenant key — a
 * secure setting — never reaches the browser. The list reloads when the top bar logs a call
 * ({@link CALL_LOGGED_EVENT}).
 */
import { appSettingsFrom } from './app-settings.js';
import { parseRecentCalls, recentCallsRequest } from './recent-calls.js';
import type { RecentCallsState } from './recent-calls-view.js';
import { bounded, DEFAULT_TIMEOUT_MS, realTimers, type Timers } from './zaf-call.js';
import type { ZafClient } from './zaf-client.js';
import { hostContextFrom } from './zaf-context.js';
import { CALL_LOGGED_EVENT } from './zaf-events.js';

export interface SidebarView {
  render(state: RecentCallsState): void;
}

export interface SidebarOptions {
  readonly client: ZafClient;
  /** Creates the view once the agent's locale and time zone are known (defaults when they are not). */
  readonly createView: (locale: string, timeZone?: string) => SidebarView;
  readonly timers?: Timers;
  readonly timeoutMs?: number;
  /** Called after each render (the entry resizes the iframe to its content). */
  readonly onRendered?: () => void;
}

export interface SidebarApp {
  refresh(): Promise<void>;
  close(): void;
}

/** Where the Zendesk user id lives in each location's data (Support Apps API: ticket and user objects). */
const USER_ID_PATHS: Readonly<Record<string, string>> = {
  ticket_sidebar: 'ticket.requester.id',
  user_sidebar: 'user.id',
};

export async function startSidebar(options: SidebarOptions): Promise<SidebarApp> {
  const { client } = options;
  const timers = options.timers ?? realTimers;
  const ms = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const zaf = <T>(call: () => Promise<T>, what: string): Promise<T> => bounded(call, what, timers, ms);

  let view: SidebarView | undefined;
  const render = (state: RecentCallsState): void => {
    view?.render(state);
    options.onRendered?.();
  };
  const fail = (message: string): SidebarApp => {
    view ??= options.createView('en');
    render({ kind: 'error', message });
    return { refresh: async () => undefined, close: () => undefined };
  };

  let location: string | undefined;
  let settings: ReturnType<typeof appSettingsFrom>;
  try {
    const [context, user, metadata] = await Promise.all([
      zaf(() => client.context(), 'context'),
      zaf(() => client.get('currentUser'), 'currentUser').catch((): Record<string, unknown> => ({})),
      zaf(() => client.metadata(), 'metadata'),
    ]);
    location = context.location;
    settings = appSettingsFrom(metadata);
    const agent = safeContext(user['currentUser']);
    view = options.createView(agent.locale, agent.timeZone);
  } catch (error) {
    console.error('[sambung] sidebar could not reach Zendesk', error);
    return fail('Zendesk did not answer. Reload the app.');
  }
  const idPath = location ? USER_ID_PATHS[location] : undefined;
  if (!idPath) return fail(`Recent calls are not available in this location (${location ?? 'unknown'}).`);
  if (!settings) return fail('Set the Sambung bridge URL in the app settings.');
  const { bridgeUrl } = settings;

  let latest = 0;
  const refresh = async (): Promise<void> => {
    const run = ++latest;
    const show = (state: RecentCallsState): void => {
      if (run === latest) render(state);
    };
    show({ kind: 'loading' });
    try {
      const ids = await zaf(() => client.get(idPath), idPath);
      const id = ids[idPath];
      if ((typeof id !== 'number' && typeof id !== 'string') || String(id) === '') {
        show({ kind: 'calls', calls: [] });
        return;
      }
      const body = await zaf(() => client.request(recentCallsRequest(bridgeUrl, String(id))), 'the recent calls');
      show({ kind: 'calls', calls: parseRecentCalls(body, bridgeUrl) });
    } catch (error) {
      console.error('[sambung] recent calls failed', error);
      show({ kind: 'error', message: describeFailure(error) });
    }
  };

  const onLogged = (): void => void refresh();
  client.on(CALL_LOGGED_EVENT, onLogged);
  await refresh();
  return { refresh, close: () => void client.off(CALL_LOGGED_EVENT, onLogged) };
}

function safeContext(currentUser: unknown): { locale: string; timeZone?: string } {
  try {
    const { locale, timeZone } = hostContextFrom(currentUser, 'zendesk');
    return timeZone ? { locale, timeZone } : { locale };
  } catch {
    return { locale: 'en' };
  }
}

/** The proxied request rejects with the jqXHR-like `{ status }` inside the HostAdapterError's cause. */
function describeFailure(error: unknown): string {
  const status = (error as { cause?: { status?: unknown } } | undefined)?.cause?.status;
  if (status === 401 || status === 403) return 'The Sambung bridge refused the tenant key: check the app settings.';
  return 'Could not load recent calls from Sambung. Try again later.';
}
