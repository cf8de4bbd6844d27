/**
 * Entry of `fake-host.js`: the fake Zendesk agent page served by `fake/zaf-host-page.ts`. Reads its
 * configuration from `<script type="application/json" id="fake-zendesk-config">` and exposes the test API as
 * `window.fakeZendesk`.
 */
import { startAgentPage } from './agent-page.js';
import type { FakeHostConfig, FakeZendeskApi } from './fake-host-config.js';

declare global {
  interface Window {
    fakeZendesk?: FakeZendeskApi;
  }
}

function boot(): void {
  const source = document.getElementById('fake-zendesk-config');
  if (!source?.textContent) throw new Error('fake Zendesk: no #fake-zendesk-config');
  const config = JSON.parse(source.textContent) as FakeHostConfig;
  window.fakeZendesk = startAgentPage(config);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
else boot();
