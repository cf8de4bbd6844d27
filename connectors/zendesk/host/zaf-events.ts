/**
 * The app's own events between its instances, and the payload of Zendesk's click-to-dial event.
 *
 * Instances of one app are separate iframes; they talk only through the framework:
 * `client.instance(guid).trigger(name, data)` in one raises `name` on the other, where `client.on(name)`
 * hears it. Names are namespaced so they never collide with framework events.
 */
import type { DialTarget } from '../../softphone/src/host-adapter.js';

/** background → top bar: the agent clicked a phone number in Zendesk. Payload: `voice.dialout`'s, as is. */
export const DIALOUT_RELAY_EVENT = 'sambung.dialout';

/** top bar → sidebars: a call ended and was logged; payload `{ callId }`. Sidebars reload their list. */
export const CALL_LOGGED_EVENT = 'sambung.call-logged';

/** Zendesk's click-to-dial event (Talk Partner Edition): `{ number }`, delivered to the background location. */
export const VOICE_DIALOUT_EVENT = 'voice.dialout';

/**
 * The dial target in a `voice.dialout` payload (`{ number: '+1 555 …' }`), trimmed; `null` when the payload
 * carries no usable number. The number is shown to the agent as text only.
 */
export function dialTargetFrom(payload: unknown): DialTarget | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const raw = (payload as { number?: unknown }).number;
  const phone = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : '';
  return phone === '' ? null : { phone };
}
