/**
 * Timestamps as the admin reads them: the bridge sends ISO-8601 instants; the page shows them in the browser's
 * locale and zone (both injected, so tests are deterministic). Anything unparsable is shown as it came, as text.
 */
export type WhenFormat = (iso: string) => string;

export function whenFormat(locale: string, timeZone?: string): WhenFormat {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) });
  } catch {
    format = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  }
  return (iso) => {
    const ms = Date.parse(iso);
    return iso === '' || Number.isNaN(ms) ? iso : format.format(new Date(ms));
  };
}
