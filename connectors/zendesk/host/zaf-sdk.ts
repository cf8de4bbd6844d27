/**
 * The one module that loads the real ZAF SDK. Only the location entry scripts import it: the SDK touches
 * `window` when it is evaluated, so node tests use `ZafClient` fakes instead.
 */
import ZAFClient from 'zendesk_app_framework_sdk';
import type { ZafClient } from './zaf-client.js';

/**
 * Starts the SDK's handshake with the Zendesk agent page (`iframe.handshake` → `app.registered`).
 *
 * Returns `null` when the page was not opened by Zendesk: the SDK finds the parent through the `origin` and
 * `app_guid` parameters Zendesk appends to each location's URL, and without them it returns `false`.
 */
export function initZafClient(): ZafClient | null {
  const client = ZAFClient.init();
  return client === false ? null : client;
}
