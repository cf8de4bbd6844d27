/**
 * What the CRM connection card shows, from `GET /api/admin/crm` (pure: the view only draws it).
 *
 * ```
 *   connection null                     → not-connected   "Zendesk is not connected" + connect form
 *   status connected                    → connected       facts (account user, subdomain, screen pop, …)
 *   status reconnect-required           → reconnect       "Reconnect Zendesk" banner: the CRM's reason and how
 *                                                          many deliveries wait (`counts['waiting-auth']`)
 * ```
 */
import type { CrmOverview } from './admin-api-shapes.js';
import { accountLabel, crmName, recordingsLabel, screenPopLabel } from './crm-names.js';
import type { WhenFormat } from './format-when.js';

export interface Fact {
  readonly label: string;
  readonly value: string;
}

export type CrmCardModel =
  | { readonly state: 'not-connected'; readonly heading: string; readonly message: string }
  | { readonly state: 'connected'; readonly heading: string; readonly facts: readonly Fact[]; readonly note: string | null }
  | {
      readonly state: 'reconnect';
      readonly heading: string;
      /** What happened, in our words. */
      readonly lead: string;
      /** Why, in the CRM's words (text, never markup). */
      readonly reason: string;
      readonly waiting: number;
      readonly waitingText: string;
      readonly facts: readonly Fact[];
    };

/** The CRM the page talks about when none is connected yet. */
export const DEFAULT_CRM_KIND = 'zendesk';

export function crmCardModel(overview: CrmOverview, when: WhenFormat): CrmCardModel {
  const { connection, deliveries } = overview;
  if (!connection) {
    return {
      state: 'not-connected',
      heading: `${crmName(DEFAULT_CRM_KIND)} is not connected`,
      message: 'Calls still ring and are recorded, but nothing reaches Zendesk: no screen pop, no voice tickets. Connect it below.',
    };
  }
  const name = crmName(connection.kind);
  const facts: Fact[] = [
    { label: 'Account user', value: connection.accountUser ?? 'unknown' },
    { label: 'Subdomain', value: accountLabel(connection.kind, connection.settings['account']) },
    { label: 'Screen pop', value: screenPopLabel(connection.settings['screenPop']) },
    { label: 'Recordings', value: recordingsLabel(connection.settings['recordings']) },
    { label: 'Time zone', value: connection.timeZone },
    { label: 'App key', value: connection.hasAppKey ? 'Made (the app can list recent calls)' : 'Not made yet' },
    { label: 'Updated', value: when(connection.updatedAt) },
  ];
  if (connection.status === 'reconnect-required') {
    const waiting = deliveries.counts['waiting-auth'];
    return {
      state: 'reconnect',
      heading: `Reconnect ${name}`,
      lead: `${name} refused Sambung's stored credentials, so nothing reaches ${name} until you reconnect.`,
      reason: connection.reason?.trim() || `${name} refused the stored credentials.`,
      waiting,
      waitingText: waitingText(waiting, name),
      facts,
    };
  }
  const parked = deliveries.counts.parked;
  return {
    state: 'connected',
    heading: `${name} connected`,
    facts,
    note: parked > 0 ? `${plural(parked, 'delivery', 'deliveries')} parked: see Deliveries below.` : null,
  };
}

/** "3 deliveries are waiting …" under the Reconnect banner. */
export function waitingText(waiting: number, name: string): string {
  if (waiting === 0) return `No deliveries are waiting yet; new calls will wait until ${name} is reconnected.`;
  return `${plural(waiting, 'delivery is', 'deliveries are')} waiting for new credentials. Nothing is lost: they are sent once you reconnect.`;
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
