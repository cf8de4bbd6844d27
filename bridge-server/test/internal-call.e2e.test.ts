import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signIn, useBrowserBridge } from './support/browser-bridge.js';
import { inboundAudioBytes } from './support/chromium.js';

const harness = useBrowserBridge();

/** The standalone softphone page with `username` signed in. */
async function softphone(username: 'alice' | 'bob'): Promise<Page> {
  const p = await harness.page('/agent', username);
  await signIn(p, username);
  return p;
}

/** The standalone page's click-to-dial field: what a CRM's click-to-dial does in a CRM. */
async function dial(p: Page, value: string): Promise<void> {
  await p.fill('[data-host="dial"] input[name="dial"]', value);
  await p.click('[data-host="dial"] button[type="submit"]');
}

const status = (p: Page) => p.locator('[data-softphone="status"]').getAttribute('data-state');

describe('an agent calls a colleague from the softphone (real Chromium, JsSIP both ends)', () => {
  it('dials by username, rings the colleague, carries audio both ways and ends on hang-up', async () => {
    const alice = await softphone('alice');
    const bob = await softphone('bob');

    await dial(alice, 'bob');
    await expect.poll(() => status(alice), { timeout: 10_000 }).toBe('dialing');
    await expect.poll(() => alice.locator('[data-softphone="outgoing-target"]').textContent()).toBe('Calling bob…');
    await bob.waitForSelector('[data-softphone="incoming"]', { state: 'visible', timeout: 15_000 });
    expect(await bob.locator('[data-softphone="caller-name"]').textContent()).toBe('Alice Agent');
    await bob.click('button[data-softphone="answer"]');

    await expect.poll(() => status(alice), { timeout: 15_000 }).toBe('in-call');
    await expect.poll(() => status(bob), { timeout: 15_000 }).toBe('in-call');
    await expect.poll(() => alice.evaluate(inboundAudioBytes), { timeout: 10_000 }).toBeGreaterThan(2000);
    await expect.poll(() => bob.evaluate(inboundAudioBytes), { timeout: 10_000 }).toBeGreaterThan(2000);
    expect(harness.bridge.b2bua.internal.activeCalls[0]?.state).toBe('connected');

    await alice.click('button[data-softphone="hangup"]');
    await expect.poll(() => status(bob), { timeout: 10_000 }).toBe('ended');
    await expect.poll(() => harness.bridge.b2bua.internal.activeCalls.length).toBe(0);
    await expect.poll(() => alice.locator('[data-host="recent-calls"]').textContent()).toContain('bob');
  });

  it('shows "No such extension" for an unknown one, and the caller can cancel while it rings', async () => {
    const alice = await softphone('alice');
    const bob = await softphone('bob');

    await dial(alice, 'zed');
    await expect.poll(() => alice.locator('[data-softphone="notices"]').textContent(), { timeout: 10_000 })
      .toContain('No such extension: zed.');

    await dial(alice, 'bob');
    await bob.waitForSelector('[data-softphone="incoming"]', { state: 'visible', timeout: 15_000 });
    await alice.click('button[data-softphone="cancel-call"]');
    await expect.poll(() => status(bob), { timeout: 10_000 }).toBe('ended');
    await expect.poll(() => alice.locator('[data-softphone="detail"]').textContent()).toBe('Call cancelled.');
    expect(harness.bridge.b2bua.internal.activeCalls).toHaveLength(0);
  });
});
