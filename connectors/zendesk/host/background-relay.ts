/**
 * What the app's `background` location does. It has no UI; Zendesk loads it with the agent interface and
 * keeps it running, which the top bar does not get:
 *
 * ```
 *  Zendesk agent page                  background instance                top_bar instance (softphone)
 *  ──────────────────                  ───────────────────                ────────────────────────────
 *  app.registered ───────────────────▶ get('instances') → top_bar guid
 *                                      instance(guid).invoke('preloadPane') ─▶ iframe inserted, hidden;
 *                                                                              softphone starts, agent signs in
 *  agent clicks a phone number
 *  voice.dialout { number } ─────────▶ instance(guid).trigger('sambung.dialout', { number }) ─▶ onClickToDial
 * ```
 *
 * 1. Top bar apps load only when the agent first opens them ("the pane view … is only inserted into the DOM the
 *    first time the app is opened", Support Apps API, top bar). A softphone that is not loaded cannot register
 *    and ring, so the background preloads the top bar pane as soon as it is registered itself.
 * 2. Zendesk delivers Talk Partner Edition's `voice.dialout` (`{ number }`) to the background location; the
 *    top bar hears it only through this relay (an app-internal event on that instance).
 *
 * A click that arrives before the top bar has subscribed is dropped, as the framework itself does for an
 * event nobody listens to; the agent can click again once the softphone is open.
 */
import { bounded, DEFAULT_TIMEOUT_MS, realTimers, type Timers } from './zaf-call.js';
import { instancesFrom, type ZafClient } from './zaf-client.js';
import { DIALOUT_RELAY_EVENT, VOICE_DIALOUT_EVENT, dialTargetFrom } from './zaf-events.js';

export interface BackgroundRelayOptions {
  readonly timers?: Timers;
  readonly timeoutMs?: number;
}

export interface BackgroundRelay {
  /** Inserts the top bar's pane (hidden). Resolves `false` when there is no top bar instance or Zendesk refused. */
  preloadTopBar(): Promise<boolean>;
  /** Forwards a `voice.dialout` payload to the top bar. Resolves `false` when there was nothing to forward. */
  relay(payload: unknown): Promise<boolean>;
  /** Stops listening. */
  close(): void;
}

export function startBackgroundRelay(client: ZafClient, options: BackgroundRelayOptions = {}): BackgroundRelay {
  const timers = options.timers ?? realTimers;
  const ms = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let topBarGuid: string | undefined;

  const topBar = async (): Promise<ZafClient | null> => {
    if (topBarGuid === undefined) {
      const result = await bounded(() => client.get('instances'), 'instances', timers, ms);
      topBarGuid = instancesFrom(result).find((instance) => instance.location === 'top_bar')?.guid;
    }
    return topBarGuid === undefined ? null : client.instance(topBarGuid);
  };

  const preloadTopBar = async (): Promise<boolean> => {
    try {
      const target = await topBar();
      if (!target) {
        console.warn('[sambung] no top_bar instance: is the app installed in the top bar?');
        return false;
      }
      await bounded(() => target.invoke('preloadPane'), 'preloadPane', timers, ms);
      return true;
    } catch (error) {
      console.warn('[sambung] could not preload the softphone', error);
      return false;
    }
  };

  const relay = async (payload: unknown): Promise<boolean> => {
    const target = dialTargetFrom(payload);
    if (!target) return false;
    try {
      const bar = await topBar();
      if (!bar) return false;
      bar.trigger(DIALOUT_RELAY_EVENT, { number: target.phone });
      return true;
    } catch (error) {
      console.warn('[sambung] could not relay click-to-dial', error);
      return false;
    }
  };

  const onRegistered = (): Promise<boolean> => preloadTopBar();
  client.on('app.registered', onRegistered);
  client.on(VOICE_DIALOUT_EVENT, relay);

  return {
    preloadTopBar,
    relay,
    close() {
      client.off('app.registered', onRegistered);
      client.off(VOICE_DIALOUT_EVENT, relay);
    },
  };
}
