/**
 * The setup every bridge e2e file shares: one Chromium for the file, a fresh bridge per test (media on loopback,
 * no public address), a browser context per page, closed after each test; plus the two things every test does
 * in a browser — an agent signing in on /agent and a visitor starting a call on /demo.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { launchChromium, recordPeerConnections } from './chromium.js';
import { PASSWORDS, startTestBridge } from './test-bridge.js';

export type TestBridge = Awaited<ReturnType<typeof startTestBridge>>;

export interface BrowserBridge {
  /** The current test's bridge. */
  readonly bridge: TestBridge;
  /** A page at `path` on the bridge in a context of its own, with peer connections recorded. */
  page(path: string, label?: string): Promise<Page>;
}

/** Registers the hooks; call once at the top of an e2e file. */
export function useBrowserBridge(): BrowserBridge {
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let bridge: TestBridge | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium?.close();
  });
  beforeEach(async () => {
    bridge = await startTestBridge({ MEDIA_PUBLIC_ADDRESS: '' });
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
    await bridge?.dispose();
  });
  return {
    get bridge() {
      if (!bridge) throw new Error('the bridge starts in beforeEach');
      return bridge;
    },
    async page(path, label = path) {
      const context = await chromium.newContext();
      contexts.push(context);
      await context.addInitScript(recordPeerConnections);
      const p = await context.newPage();
      p.on('pageerror', (e) => console.error(`[${label}] page error:`, e.message));
      await p.goto(`${bridge!.url}${path}`);
      return p;
    },
  };
}

/** Signs `username` in on the softphone page and waits for the SIP registration. */
export async function signIn(agentPage: Page, username: 'alice' | 'bob'): Promise<void> {
  await agentPage.fill('input[name="username"]', username);
  await agentPage.fill('input[name="password"]', PASSWORDS[username]);
  await agentPage.click('button[data-softphone="sign-in"]');
  await agentPage.waitForSelector('[data-softphone="registration"][data-state="registered"]', { timeout: 15_000 });
}

/** Opens the widget on the demo page, fills the form and starts the call. */
export async function startVisitorCall(visitor: Page, caller: { name: string; phone: string; email?: string }): Promise<void> {
  await visitor.click('button[data-sambung="launcher"]');
  await visitor.fill('input[name="name"]', caller.name);
  await visitor.fill('input[name="phone"]', caller.phone);
  if (caller.email !== undefined) await visitor.fill('input[name="email"]', caller.email);
  await visitor.click('button[data-sambung="start"]');
}
