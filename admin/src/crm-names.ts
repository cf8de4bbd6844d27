/** How a CRM `kind` and its settings read on the page. Only Zendesk exists today; another kind shows its raw name. */

export function crmName(kind: string): string {
  return kind === 'zendesk' ? 'Zendesk' : kind;
}

/** `acme` → `acme.zendesk.com` (the API host is always built from the subdomain, never typed as a URL). */
export function accountLabel(kind: string, account: unknown): string {
  if (typeof account !== 'string' || account === '') return 'unknown';
  return kind === 'zendesk' ? `${account}.zendesk.com` : account;
}

/** `settings.screenPop` of a Zendesk connection (zendesk-settings.ts). */
export function screenPopLabel(value: unknown): string {
  if (value === 'ticket') return "The caller's newest open ticket (else their profile)";
  if (value === 'user') return "The caller's user profile";
  return typeof value === 'string' ? value : 'default';
}

/** `settings.recordings` of a Zendesk connection. */
export function recordingsLabel(value: unknown): string {
  if (value === 'upload') return 'Uploaded to the voice ticket (local copy deleted once confirmed)';
  if (value === 'link') return 'Linked: Zendesk plays them from Sambung until the retention purge';
  return typeof value === 'string' ? value : 'default';
}
