/**
 * Entry of `sidebar.js`, the app's `support.ticket_sidebar` and `support.user_sidebar` locations
 * (`assets/sidebar.html`, `<div id="app">`): the requester's recent calls with their recordings.
 */
import { RecentCallsView } from './recent-calls-view.js';
import { startSidebar } from './sidebar-app.js';
import { bounded, realTimers } from './zaf-call.js';
import type { ZafClient } from './zaf-client.js';
import { initZafClient } from './zaf-sdk.js';
import { addStyles, zendeskStyles } from './zendesk-styles.js';

/** Sidebar apps are as tall as they ask to be; keep it to the list, within reason. */
const MIN_HEIGHT = 80;
const MAX_HEIGHT = 600;

function fitHeight(client: ZafClient): void {
  const height = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, document.documentElement.scrollHeight));
  bounded(() => client.invoke('resize', { width: '100%', height: `${height}px` }), 'resize', realTimers)
    .catch((error: unknown) => console.warn('[sambung] sidebar resize failed', error));
}

function boot(): void {
  const root = document.getElementById('app');
  if (!root) {
    console.error('[sambung] sidebar.html has no #app element');
    return;
  }
  addStyles(document, zendeskStyles, 'zendesk-styles');
  const client = initZafClient();
  if (!client) {
    root.textContent = 'Sambung runs inside Zendesk: open a ticket or a user there.';
    return;
  }
  void startSidebar({
    client,
    createView: (locale, timeZone) => new RecentCallsView(root, locale, timeZone),
    onRendered: () => fitHeight(client),
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
else boot();
