/**
 * The admin console in real Chromium against a real bridge and the fake Zendesk: an admin signs in on /admin,
 * connects Zendesk through the form (a wrong token first: the form shows Zendesk's refusal; a bad subdomain: the
 * field says why), maps alice by picking her from Zendesk's agents (suggestions shown, never saved by themselves; a
 * second agent on one Zendesk user refused), makes the app key; then Zendesk revokes the token, a call ends, and
 * the page — polling — shows "Reconnect Zendesk" with the waiting delivery and falls back to typed ids;
 * reconnecting through the form resumes it. A parked delivery is retried from the page. What Zendesk or an agent's
 * name says is shown as text, never markup.
 *
 * Needs the bundles (`npm run build`).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadHoldAudio } from '../../bridge-server/src/media/hold-player.js';
import { launchChromium } from '../../bridge-server/test/support/chromium.js';
import { login, offeredCall, until } from '../../bridge-server/test/support/recorded-call.js';
import { PASSWORDS, startTestBridge } from '../../bridge-server/test/support/test-bridge.js';
import { TestResources } from '../../bridge-server/test/support/test-resources.js';
import { bridgeApi } from '../../bridge-server/test/support/bridge-api.js';
import { FakeZendesk } from '../../connectors/zendesk/fake/fake-zendesk-api.js';

const EMAIL = 'admin@acme.test';
const TOKEN = 'zd-admin-console-token-4b7e1d';
const NEW_TOKEN = 'zd-rotated-token-9c2f80';
const HOSTILE = '<img src=x onerror="window.__pwned=1">';
const HOSTILE_NAME = `Mallory ${HOSTILE}`;
/** A Zendesk agent's name (its e-mail matches mallory's username, so it is also suggested). */
const ZENDESK_HOSTILE = '<img src=x onerror=alert(1)>';

let chromium: Awaited<ReturnType<typeof launchChromium>>;
let zendesk: FakeZendesk;
let bridge: Awaited<ReturnType<typeof startTestBridge>>;
const own = new TestResources();
const contexts: BrowserContext[] = [];
/**
 * Script errors and console errors (a CSP violation is one) of the pages: there must be none. Chromium's
 * "Failed to load resource" lines for the API's expected 4xx answers (and /favicon.ico) are not errors of ours.
 */
const pageErrors: string[] = [];
/** How long the page may take to show what the bridge answered. */
const POLL = { timeout: 10_000, interval: 100 };

beforeAll(async () => {
  chromium = await launchChromium();
  zendesk = await FakeZendesk.start({ apiToken: TOKEN, email: EMAIL });
  bridge = await startTestBridge({ ZENDESK_API_URL: zendesk.url });
  const created = await api('POST', '/api/admin/agents', await login(bridge, 'admin'), {
    username: 'mallory', displayName: HOSTILE_NAME, password: 'mallory-pass-123', role: 'agent',
  });
  if (created.status !== 201 && created.status !== 200) throw new Error(`creating mallory: ${created.status} ${JSON.stringify(created.json)}`);
});

afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
  await own.release();
  expect(pageErrors.splice(0)).toEqual([]);
});

afterAll(async () => {
  await chromium?.close();
  await bridge?.dispose();
  await zendesk?.close();
});

const api = (method: string, path: string, token: string, body?: unknown) => bridgeApi(bridge.url, method, path, token, body);

async function openConsole(): Promise<Page> {
  const context = await chromium.browser.newContext();
  contexts.push(context);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: bridge.url });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    pageErrors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(`console: ${m.text()}`);
  });
  const response = await page.goto(`${bridge.url}/admin?tenant=demo`);
  expect(response!.status()).toBe(200);
  expect(response!.headers()['content-security-policy']).toContain("script-src 'self'");
  expect(response!.headers()['x-frame-options']).toBe('DENY');
  // The stylesheet loaded under the policy.
  await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor), POLL).toBe('rgb(238, 242, 246)');
  return page;
}

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await expect.poll(() => page.getByLabel('Tenant').inputValue(), POLL).toBe('demo');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const card = (page: Page) => page.locator('section[aria-labelledby="crm-heading"]');
const agentsCard = (page: Page) => page.locator('section[aria-labelledby="agents-heading"]');
const agentRow = (page: Page, username: string) => page.locator(`tr[data-username="${username}"]`);
/** The select of an agent's Zendesk user (while Zendesk lists its agents). */
const userSelect = (page: Page, displayName: string) => page.getByLabel(`Zendesk user of ${displayName}`, { exact: true });
/** The typed-id input (the fallback). */
const userIdInput = (page: Page, displayName: string) => page.getByLabel(`Zendesk user id of ${displayName}`, { exact: true });
const formError = (page: Page) => page.locator('#connect-form .form-error');
const text = (page: Page, selector: string) => page.locator(selector).textContent();

/** No element the hostile strings could have made, and none of their script ran. */
async function expectNoInjection(page: Page): Promise<void> {
  expect(await page.locator('img').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
}

/** A visitor calls, alice (raw SIP) answers, the caller talks a moment, the visitor hangs up. */
async function callThatEnds(): Promise<string> {
  const call = await offeredCall(bridge, own);
  const { hangUp } = await call.answer();
  call.vPeer.talk([...(await loadHoldAudio())]);
  await new Promise((r) => setTimeout(r, 1000));
  await hangUp();
  return call.callId;
}

describe('the admin console', () => {
  it('refuses a wrong password and an account that is not an admin', async () => {
    const page = await openConsole();
    await signIn(page, 'admin', 'not-the-password');
    await expect.poll(() => page.getByRole('alert').first().textContent(), POLL).toBe('Wrong tenant, username or password.');
    expect(await page.getByLabel('Password').inputValue()).toBe('');

    await signIn(page, 'alice', PASSWORDS.alice);
    await expect.poll(() => page.getByRole('alert').first().textContent(), POLL).toBe(
      'This console is for admins, and your role is agent. Ask an admin of your tenant to sign in, or to give you the admin role.',
    );
    expect(await page.locator('#crm-heading').count()).toBe(0);
    // The token lives in memory only: nothing in any storage.
    expect(await page.evaluate(() => localStorage.length + sessionStorage.length + document.cookie.length)).toBe(0);
  });

  it('connects Zendesk, maps alice, makes the app key, shows "Reconnect Zendesk" after a revoked token and resumes on reconnect', async () => {
    // Zendesk's agents: alice's namesake, "Bób Agent" (bob's display name but for the accent), and one named with markup.
    const zAlice = zendesk.seedAgent({ name: 'Alice Agent', email: 'alice@acme.test' });
    const zBob = zendesk.seedAgent({ name: 'Bób Agent', email: 'robert@acme.test' });
    zendesk.seedAgent({ name: ZENDESK_HOSTILE, email: 'mallory@acme.test' });
    zendesk.seedEndUser({ name: 'Carl Customer', email: 'carl@example.test' });
    const page = await openConsole();
    await signIn(page, 'admin', PASSWORDS.admin);
    await expect.poll(() => text(page, '#crm-heading'), POLL).toBe('Zendesk is not connected');
    expect(await page.getByRole('button', { name: 'Make the app key' }).isDisabled()).toBe(true);
    // No CRM yet: the ids can be typed, and the page says where the list will come from.
    await expect.poll(() => agentsCard(page).locator('.directory-note').textContent(), POLL).toMatch(/^Connect Zendesk to pick agents from a list\./);
    expect(await userIdInput(page, 'Alice Agent').inputValue()).toBe('');

    // A subdomain that is not one: the bridge's field error sits next to the field.
    await page.getByLabel('Zendesk subdomain').fill('Not A Subdomain!');
    await page.getByLabel('Admin e-mail').fill(EMAIL);
    await page.getByLabel('API token').fill('wrong-token');
    await page.getByLabel('Time zone').fill('Asia/Jakarta');
    await page.getByRole('button', { name: 'Connect Zendesk' }).click();
    await expect.poll(() => text(page, '#connect-account-error'), POLL).toContain('must be your Zendesk subdomain');
    expect(await page.getByLabel('Zendesk subdomain').getAttribute('aria-invalid')).toBe('true');
    expect(await formError(page).textContent()).toBe('Invalid zendesk settings');

    // The right subdomain, the wrong token: Zendesk's refusal, in the form.
    await page.getByLabel('Zendesk subdomain').fill(zendesk.subdomain);
    await page.getByRole('button', { name: 'Connect Zendesk' }).click();
    await expect.poll(() => formError(page).textContent(), POLL).toMatch(/^Zendesk refused the connection: .*credentials were not accepted/);
    expect(await page.getByLabel('Zendesk subdomain').getAttribute('aria-invalid')).toBeNull();

    // Zendesk answering with markup: shown as the characters it sent.
    zendesk.failNext({ kind: 'rejected', message: HOSTILE }, 'GET /api/v2/users/me');
    await page.getByLabel('API token').fill(TOKEN);
    await page.getByRole('button', { name: 'Connect Zendesk' }).click();
    await expect.poll(() => formError(page).textContent(), POLL).toContain(HOSTILE);
    await expectNoInjection(page);

    await page.getByRole('button', { name: 'Connect Zendesk' }).click();
    await expect.poll(() => card(page).locator('.status-line').textContent(), POLL).toBe('Connected — 0 deliveries resumed');
    expect(await text(page, '#crm-heading')).toBe('Zendesk connected');
    expect(await card(page).locator('.facts').innerText()).toContain(`${zendesk.subdomain}.zendesk.com`);
    expect(await card(page).locator('.facts').innerText()).toContain(EMAIL);
    expect(await page.locator('#connect-form').isHidden()).toBe(true);
    expect(await page.getByLabel('API token').inputValue()).toBe('');

    // Agent mapping: connecting loaded Zendesk's agents (never its end users) into a select per agent.
    const aliceUser = userSelect(page, 'Alice Agent');
    await expect.poll(() => aliceUser.count(), POLL).toBe(1);
    const options = await aliceUser.locator('option').allTextContents();
    expect(options[0]).toBe('Not mapped');
    expect([...options].sort()).toEqual(
      ['Not mapped', 'Alice Agent — alice@acme.test', 'Bób Agent — robert@acme.test', `${ZENDESK_HOSTILE} — mallory@acme.test`, `Sambung Integration — ${EMAIL}`].sort(),
    );
    expect(await aliceUser.inputValue()).toBe('');
    // Suggestions: by name (case and accents aside), by the e-mail's local part — shown, not saved.
    expect(await agentRow(page, 'alice').locator('.suggestion-text').textContent()).toBe('Suggested: Alice Agent — alice@acme.test');
    expect(await agentRow(page, 'bob').locator('.suggestion-text').textContent()).toBe('Suggested: Bób Agent — robert@acme.test');
    expect(await agentRow(page, 'mallory').locator('.suggestion-text').textContent()).toBe(`Suggested: ${ZENDESK_HOSTILE} — mallory@acme.test`);
    await agentRow(page, 'bob').getByRole('button', { name: 'Use suggestion' }).click();
    expect(await userSelect(page, 'Bob Agent').inputValue()).toBe(String(zBob.id));
    expect(await agentRow(page, 'bob').locator('.suggestion-text').textContent()).toBe('Bób Agent — robert@acme.test is chosen: press Save to map Bob Agent.');
    expect(await agentRow(page, 'bob').getByRole('button', { name: 'Use suggestion' }).isHidden()).toBe(true);
    const admin = await login(bridge, 'admin');
    expect((await api('GET', '/api/admin/crm/agents', admin)).json.links).toEqual([]);

    // "Not mapped" is not a choice to save; alice is mapped by choosing her Zendesk user.
    await agentRow(page, 'alice').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => agentRow(page, 'alice').locator('.field-error').textContent(), POLL).toBe('Choose the Zendesk user, or choose Unmap.');
    expect(await aliceUser.getAttribute('aria-invalid')).toBe('true');
    await aliceUser.selectOption({ label: 'Alice Agent — alice@acme.test' });
    await agentRow(page, 'alice').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => agentsCard(page).locator('.status-line').textContent(), POLL)
      .toBe('Alice Agent is mapped to Zendesk user Alice Agent — alice@acme.test.');
    expect((await api('GET', '/api/admin/crm/agents', admin)).json.links).toEqual([{ username: 'alice', crmUserId: String(zAlice.id) }]);
    await expect.poll(() => userSelect(page, 'Alice Agent').inputValue(), POLL).toBe(String(zAlice.id));
    expect(await agentRow(page, 'alice').locator('.suggestion').count()).toBe(0);

    // Alice's Zendesk user is still offered to bob, labelled; saving it for bob is refused before anything is sent.
    const bobUser = userSelect(page, 'Bob Agent');
    expect(await bobUser.locator('option', { hasText: 'alice@acme.test' }).textContent()).toBe('Alice Agent — alice@acme.test (mapped to Alice Agent)');
    await bobUser.selectOption(String(zAlice.id));
    await agentRow(page, 'bob').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => agentRow(page, 'bob').locator('.field-error').textContent(), POLL).toBe(
      'Alice Agent is already mapped to Zendesk user Alice Agent — alice@acme.test, and one Zendesk user can stand for only one agent. Unmap Alice Agent first, or choose another user.',
    );
    expect((await api('GET', '/api/admin/crm/agents', admin)).json.links).toEqual([{ username: 'alice', crmUserId: String(zAlice.id) }]);
    // An agent's name, and a Zendesk user's, are text.
    expect(await agentRow(page, 'mallory').locator('.agent-name').textContent()).toBe(HOSTILE_NAME);
    expect(await userSelect(page, HOSTILE_NAME).locator('option').allTextContents()).toContain(`${ZENDESK_HOSTILE} — mallory@acme.test`);
    await expectNoInjection(page);

    // The app key: shown once, copyable, and it is the key the bridge accepts.
    await page.getByRole('button', { name: 'Make the app key' }).click();
    const key = page.getByLabel('App key (shown only now)');
    await expect.poll(() => key.inputValue(), POLL).toMatch(/^sbk_/);
    const appKey = await key.inputValue();
    expect(await page.locator('section[aria-labelledby="appkey-heading"]').innerText()).toContain("Paste it into the Sambung app's tenant_key setting in Zendesk.");
    await page.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), POLL).toBe(appKey);
    expect((await api('GET', '/api/crm-app/recent-calls?contact_id=1', appKey)).status).toBe(200);
    await expect.poll(() => page.getByRole('button', { name: 'Make a new app key' }).count(), POLL).toBe(1);

    // Zendesk revokes the token; a call ends; its delivery waits for credentials.
    zendesk.revokeToken();
    const firstCall = await callThatEnds();
    await own.release();
    const waiting = await until(async () => {
      const s = (await api('GET', '/api/admin/crm', admin)).json;
      return s.connection.status === 'reconnect-required' && s.deliveries.counts['waiting-auth'] > 0 ? s : null;
    }, 'the delivery waits for credentials');
    // The page notices by itself (it polls every 10 s while visible).
    const banner = page.locator('.banner');
    await expect.poll(() => banner.getAttribute('data-waiting'), { timeout: 20_000, interval: 200 }).toBe(String(waiting.deliveries.counts['waiting-auth']));
    expect(await text(page, '#crm-heading')).toBe('Reconnect Zendesk');
    expect(await banner.locator('.reason').textContent()).toBe(waiting.connection.reason);
    // The list cannot be read with refused credentials: the card says why, and alice's id stays, typed.
    await expect.poll(() => agentsCard(page).locator('.form-error').textContent(), POLL).toMatch(/^Could not list the Zendesk agents: Zendesk refused the credentials: reconnect Zendesk/);
    expect(await userIdInput(page, 'Alice Agent').inputValue()).toBe(String(zAlice.id));
    expect(await userSelect(page, 'Alice Agent').count()).toBe(0);
    await userIdInput(page, 'Bob Agent').fill('bob@acme.test');
    await agentRow(page, 'bob').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => agentRow(page, 'bob').locator('.field-error').textContent(), POLL).toContain('A Zendesk user id is a number');
    expect(await banner.locator('.waiting').textContent()).toMatch(/^\d+ deliver(y is|ies are) waiting for new credentials/);
    const waitingRow = page.locator('.job-list[data-state="waiting-auth"] tbody tr').filter({ hasText: firstCall });
    await expect.poll(() => waitingRow.count(), POLL).toBe(1);
    expect(await waitingRow.locator('.last-error').textContent()).toMatch(/401|credentials/i);
    expect(zendesk.tickets()).toEqual([]);

    // Reconnect with the new token through the form (subdomain and e-mail are kept).
    zendesk.setCredentials({ apiToken: NEW_TOKEN });
    expect(await page.getByLabel('Zendesk subdomain').inputValue()).toBe(zendesk.subdomain);
    expect(await page.getByLabel('Admin e-mail').inputValue()).toBe(EMAIL);
    await page.getByLabel('API token').fill(NEW_TOKEN);
    await page.getByRole('button', { name: 'Reconnect Zendesk' }).click();
    await expect.poll(() => card(page).locator('.status-line').textContent(), POLL).toMatch(/^Connected — [1-9]\d* deliver(y|ies) resumed$/);
    expect(await text(page, '#crm-heading')).toBe('Zendesk connected');
    expect(await banner.isHidden()).toBe(true);
    // Reconnected: the list is back, alice's user chosen, the error gone.
    await expect.poll(() => userSelect(page, 'Alice Agent').inputValue(), POLL).toBe(String(zAlice.id));
    expect(await agentsCard(page).locator('.form-error').textContent()).toBe('');
    const ticket = await until(() => zendesk.tickets().find((t) => t.external_id === `sambung-call:${firstCall}`), 'delivered after reconnect');
    expect(zendesk.comments(ticket.id).some((c) => c.type === 'VoiceComment' && c.data?.answered_by_id === zAlice.id)).toBe(true);

    // Zendesk refuses the next voice ticket with markup: the job is parked, the page shows the words, Retry sends it.
    zendesk.failNext({ kind: 'rejected', message: HOSTILE }, 'POST /api/v2/channels/voice/tickets');
    const secondCall = await callThatEnds();
    await until(async () => (await api('GET', '/api/admin/deliveries?state=parked', admin)).json.jobs.length > 0, 'a parked delivery');
    await page.getByRole('button', { name: 'Refresh' }).click();
    const parkedRow = page.locator('.job-list[data-state="parked"] tbody tr').filter({ hasText: secondCall });
    await expect.poll(() => parkedRow.count(), POLL).toBe(1);
    expect(await parkedRow.locator('.last-error').textContent()).toContain(HOSTILE);
    await expectNoInjection(page);
    await parkedRow.getByRole('button', { name: /^Retry/ }).click();
    await until(() => zendesk.tickets().find((t) => t.external_id === `sambung-call:${secondCall}`), 'delivered after the retry');
    await expect.poll(() => page.locator('section[aria-labelledby="deliveries-heading"] .status-line').textContent(), POLL)
      .toBe(`Call log of call ${secondCall} is queued again.`);

    // Disconnect, after an inline confirmation.
    await page.getByRole('button', { name: 'Disconnect Zendesk…' }).click();
    await page.getByRole('group').getByRole('button', { name: 'Disconnect', exact: true }).click();
    await expect.poll(() => text(page, '#crm-heading'), POLL).toBe('Zendesk is not connected');
    expect((await api('GET', '/api/admin/crm', admin)).json.connection).toBeNull();
    await expect.poll(() => agentsCard(page).locator('.directory-note').textContent(), POLL).toMatch(/^Connect Zendesk to pick agents from a list\./);
    expect(await userIdInput(page, 'Alice Agent').inputValue()).toBe(String(zAlice.id));

    // Neither token stayed in the page.
    const html = await page.content();
    expect(html).not.toContain(TOKEN);
    expect(html).not.toContain(NEW_TOKEN);
  });
});
