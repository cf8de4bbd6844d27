/**
 * The Zendesk connector as the bridge loads it (`bridge-server/src/crm/connectors.ts`): the settings and secret
 * schemas an admin's connection is validated with, and the adapter built from them.
 */
import type { CrmConnector } from '../../../bridge-server/src/crm/crm-connector.js';
import { ZendeskCrmAdapter } from './zendesk-crm-adapter.js';
import { authorizationHeader, zendeskSecret, zendeskSettings, type ZendeskSecret, type ZendeskSettings } from './zendesk-settings.js';

export type { ZendeskSecret, ZendeskSettings } from './zendesk-settings.js';

export const zendeskConnector: CrmConnector<ZendeskSettings, ZendeskSecret> = {
  kind: 'zendesk',
  displayName: 'Zendesk',
  settings: zendeskSettings,
  secret: zendeskSecret,
  create(settings, secret, options) {
    return new ZendeskCrmAdapter({
      account: settings.account,
      baseUrl: options.apiBase(settings.account),
      authorization: authorizationHeader(secret),
      recordings: settings.recordings,
      timeoutMs: options.timeoutMs,
      fetch: options.fetch,
    });
  },
  // In `link` mode the voice comments play our signed recording URLs: Zendesk stores the link, not the file.
  keepsRecordingLinks: (settings) => settings.recordings === 'link',
};
