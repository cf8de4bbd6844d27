/**
 * The {@link HostContext} from Zendesk's `currentUser` (Support Apps API, `currentUser` object):
 * `{ id, name, email, locale: 'en-US', timeZone: { ianaName: 'Asia/Jakarta', … }, … }`.
 */
import { HostAdapterError, type HostContext } from '../../softphone/src/host-adapter.js';

export function hostContextFrom(currentUser: unknown, crm: string): HostContext {
  if (typeof currentUser !== 'object' || currentUser === null) {
    throw HostAdapterError.unavailable('Zendesk returned no currentUser');
  }
  const user = currentUser as { id?: unknown; name?: unknown; email?: unknown; locale?: unknown; timeZone?: unknown };
  if ((typeof user.id !== 'number' && typeof user.id !== 'string') || String(user.id) === '') {
    throw HostAdapterError.unavailable('Zendesk returned a currentUser without an id');
  }
  const email = typeof user.email === 'string' && user.email !== '' ? user.email : undefined;
  const timeZone = ianaTimeZone(user.timeZone);
  return {
    crm,
    user: { id: String(user.id), name: typeof user.name === 'string' ? user.name : '', ...(email ? { email } : {}) },
    locale: bcp47(user.locale),
    ...(timeZone ? { timeZone } : {}),
  };
}

/** Zendesk locales are BCP 47 tags in varying case (`pt-br`); canonicalised, `en` when unusable. */
function bcp47(locale: unknown): string {
  if (typeof locale !== 'string' || locale === '') return 'en';
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? 'en';
  } catch {
    return 'en';
  }
}

function ianaTimeZone(timeZone: unknown): string | undefined {
  if (typeof timeZone !== 'object' || timeZone === null) return undefined;
  const iana = (timeZone as { ianaName?: unknown }).ianaName;
  if (typeof iana !== 'string' || iana === '') return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: iana });
    return iana;
  } catch {
    return undefined;
  }
}
