/** Every CRM connector the bridge can connect a tenant to, by `kind`. */
import { zendeskConnector } from '../../../connectors/zendesk/server/zendesk-connector.js';
import type { CrmConnector } from './crm-connector.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each connector has its own settings types
export type AnyCrmConnector = CrmConnector<any, any>;

export const crmConnectors: readonly AnyCrmConnector[] = [zendeskConnector];
