import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startVisitorCall, useBrowserBridge } from './support/browser-bridge.js';
import { PASSWORDS } from './support/test-bridge.js';

const harness = useBrowserBridge();
const WEEK = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

async function configureSales(routing: Record<string, unknown>): Promise<void> {
  const login = await fetch(`${harness.bridge.url}/api/agent/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'demo', username: 'admin', password: PASSWORDS.admin }),
  });
  const { token } = (await login.json()) as { token: string };
  const res = await fetch(`${harness.bridge.url}/api/admin/queues/sales`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(routing),
  });
  expect(res.status).toBe(200);
}

async function callFromDemo(): Promise<Page> {
  const page = await harness.page('/demo');
  await startVisitorCall(page, { name: 'Wulan <script>x</script>', phone: '+62 812 7777 8888' });
  return page;
}

describe('deflection in the visitor widget (real Chromium, real harness.bridge)', () => {
  it('shows the e-mail alternative when the queue is closed', async () => {
    const openDay = WEEK[(new Date().getUTCDay() + 2) % 7]!;
    await configureSales({
      businessHours: { timeZone: 'UTC', weekly: { [openDay]: [{ from: '09:00', to: '17:00' }] } },
      afterHours: { type: 'email', address: 'sales@nusantara.example' },
    });
    const page = await callFromDemo();
    const deflection = page.locator('[data-sambung="deflection"]');
    await expect.poll(() => deflection.getAttribute('data-type'), { timeout: 15_000 }).toBe('email');
    expect(await deflection.locator('a[href^="mailto:"]').getAttribute('href')).toBe('mailto:sales@nusantara.example');
  });

  it('lets a visitor book a callback slot inside the queue’s hours, and stores it', async () => {
    const always = Object.fromEntries(WEEK.map((d) => [d, [{ from: '00:00', to: '24:00' }]]));
    await configureSales({
      businessHours: { timeZone: 'Asia/Jakarta', weekly: always },
      afterHours: { type: 'callback', slotMinutes: 30 },
      maxQueueSize: 1,
      overflow: { type: 'callback', slotMinutes: 30 },
    });
    // One caller already waiting fills the queue (nobody is signed in), so the next is deflected to a callback.
    const first = await callFromDemo();
    await expect.poll(() => first.locator('[data-sambung="status"]').getAttribute('data-state'), { timeout: 15_000 }).toBe('waiting');
    const page = await callFromDemo();
    const slot = page.locator('[data-sambung="callback-slots"] button[data-slot]').first();
    await slot.waitFor({ timeout: 15_000 });
    const at = await slot.getAttribute('data-slot');
    await slot.click();
    await page.locator('[data-sambung="callback-confirmed"]').waitFor({ state: 'visible', timeout: 10_000 });
    const tenant = (await harness.bridge.store.tenants.findBySlug('demo'))!;
    const [booked] = await harness.bridge.store.callbacks.list(tenant.id);
    expect(booked).toMatchObject({ callerName: 'Wulan <script>x</script>', callerPhone: '+6281277778888', state: 'scheduled' });
    expect(booked!.dueAt.toISOString()).toBe(at);
  });

  it('takes a voicemail after hours: the widget records the message and thanks the visitor', async () => {
    const openDay = WEEK[(new Date().getUTCDay() + 2) % 7]!;
    await configureSales({
      businessHours: { timeZone: 'UTC', weekly: { [openDay]: [{ from: '09:00', to: '17:00' }] } },
      afterHours: { type: 'voicemail', greeting: 'Leave us a message after the tone.' },
    });
    const page = await callFromDemo();
    await expect.poll(() => page.locator('[data-sambung="status"]').getAttribute('data-state'), { timeout: 15_000 }).toBe('voicemail');
    expect(await page.locator('[data-sambung="voicemail"]').textContent()).toContain('Leave us a message after the tone.');
    await page.waitForTimeout(2000);
    await page.click('button[data-sambung="hangup"]');
    await page.locator('[data-sambung="voicemail-done"]').waitFor({ timeout: 10_000 });
    const tenant = (await harness.bridge.store.tenants.findBySlug('demo'))!;
    const [cdr] = await harness.bridge.store.calls.list(tenant.id, { limit: 1 });
    await expect
      .poll(async () => (await harness.bridge.store.recordings.byCall(tenant.id, cdr!.id))[0]?.state, { timeout: 15_000 })
      .toBe('rendered');
  });
});
