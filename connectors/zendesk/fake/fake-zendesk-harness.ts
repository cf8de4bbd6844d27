/**
 * The Zendesk connector wired to a fresh {@link FakeZendesk}, as the CrmAdapter conformance suite and the
 * connector's own tests use it: the adapter built by `zendeskConnector.create`, and the account read back as the
 * suite's harness expects (contacts = end users, call logs = Sambung voice tickets with their latest summary
 * comment, attachments = the files on a ticket's comments).
 */
import type { CrmAdapter } from '../../../bridge-server/src/crm/crm-adapter.js';
import type { CrmAdapterHarness, HarnessCallLog } from '../../../bridge-server/src/crm/crm-conformance.js';
import type { CrmConnectionCheck, CrmScreenPop } from '../../../bridge-server/src/crm/crm-screen-pop.js';
import { zendeskConnector } from '../server/zendesk-connector.js';
import type { ZendeskSecret, ZendeskSettings } from '../server/zendesk-settings.js';
import { FakeZendesk, type FakeZendeskOptions, type FakeZendeskTicket } from './fake-zendesk-api.js';

export const HARNESS_EMAIL = 'integration@acme.test';
export const HARNESS_TOKEN = 'zd-api-token-0123456789abcdef';

export type ZendeskAdapter = CrmAdapter & CrmScreenPop & CrmConnectionCheck;

export interface ZendeskHarness extends CrmAdapterHarness {
  readonly adapter: ZendeskAdapter;
  readonly zendesk: FakeZendesk;
  /** Another adapter on the same fake account, e.g. with other settings or credentials. */
  connect(settings?: Partial<ZendeskSettings>, secret?: ZendeskSecret, timeoutMs?: number): ZendeskAdapter;
  dispose(): Promise<void>;
}

export async function startZendeskHarness(
  settings: Partial<ZendeskSettings> = {},
  fakeOptions: Partial<FakeZendeskOptions> = {},
): Promise<ZendeskHarness> {
  const zendesk = await FakeZendesk.start({ apiToken: HARNESS_TOKEN, email: HARNESS_EMAIL, ...fakeOptions });
  const connect = (s: Partial<ZendeskSettings> = settings, secret?: ZendeskSecret, timeoutMs = 500): ZendeskAdapter => {
    const parsed = zendeskConnector.settings.parse({ account: zendesk.subdomain, ...s });
    const credentials = secret ?? { kind: 'api-token', email: HARNESS_EMAIL, token: HARNESS_TOKEN };
    return zendeskConnector.create(parsed, credentials, { apiBase: () => zendesk.url, timeoutMs }) as ZendeskAdapter;
  };
  return {
    adapter: connect(),
    zendesk,
    connect,
    contacts: async () => zendesk.endUsers().map((u) => ({ id: String(u.id), name: u.name, phone: u.phone, email: u.email })),
    callLogs: async () => zendesk.tickets().filter((t) => t.external_id?.startsWith('sambung-call:')).map((t) => callLogOf(zendesk, t)),
    attachments: async (ref) => zendesk.attachments(ref).map((a) => ({ filename: a.fileName, contentType: a.contentType, bytes: a.bytes })),
    failNext: (failure) => zendesk.failNext(failure),
    dispose: () => zendesk.close(),
  };
}

/** A Sambung voice ticket as a call log: the call id from `external_id`, the rest from the newest summary comment. */
export function callLogOf(zendesk: FakeZendesk, ticket: FakeZendeskTicket): HarnessCallLog {
  const summaries = zendesk.comments(ticket.id).filter((c) => c.type === 'Comment' && c.body.startsWith('Sambung call summary\n'));
  const fields = summaryFields(summaries.at(-1)?.body ?? '');
  const dash = (value: string | undefined): string | null => (value === undefined || value === '—' ? null : value);
  return {
    ref: String(ticket.id),
    callId: ticket.external_id!.slice('sambung-call:'.length),
    contactId: ticket.requester_id === zendesk.apiUser.id ? null : String(ticket.requester_id),
    durationSec: Number.parseInt(fields['Talk time'] ?? 'NaN', 10),
    outcome: fields['Outcome'] ?? '',
    disposition: dash(fields['Disposition']),
    notes: dash(fields['Notes']),
  };
}

/** `Label: value` lines of a summary; `Notes` is last and takes every line after it. */
export function summaryFields(body: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const lines = body.split('\n');
  for (const [i, line] of lines.entries()) {
    const colon = line.indexOf(': ');
    if (colon < 0) continue;
    const label = line.slice(0, colon);
    if (label === 'Notes') {
      fields[label] = [line.slice(colon + 2), ...lines.slice(i + 1)].join('\n');
      break;
    }
    fields[label] = line.slice(colon + 2);
  }
  return fields;
}
