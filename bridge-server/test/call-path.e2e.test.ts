import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signIn, startVisitorCall, useBrowserBridge } from './support/browser-bridge.js';
import { inboundAudioBytes } from './support/chromium.js';
import { playedRecording, until } from './support/recorded-call.js';
import { channelRms } from './support/wav.js';

const harness = useBrowserBridge();
const page = (path: string) => harness.page(path);

async function setState(agentPage: Page, state: 'available' | 'away'): Promise<void> {
  await agentPage.selectOption('select[data-softphone="state"]', state);
  const tenant = await demoTenant();
  const agentId = (await harness.bridge.store.agents.findByUsername(tenant.id, 'alice'))!.id;
  await expect.poll(() => harness.bridge.acd.agentView(tenant.id, agentId)?.state, { timeout: 10_000 }).toBe(state);
}

async function demoTenant() {
  return (await harness.bridge.store.tenants.findBySlug('demo'))!;
}

const status = (p: Page, attr: string) => p.locator(`[${attr}="status"]`).getAttribute('data-state');

describe('a website visitor reaches an agent through the bridge (real Chromium)', () => {
  it('rings the agent with the caller’s name, carries audio both ways and writes the CDR', async () => {
    const agent = await page('/agent');
    await signIn(agent, 'alice');
    await setState(agent, 'available');

    const visitor = await page('/demo');
    const caller = { name: 'Dewi <img src=x onerror=alert(1)>', phone: '+62 812 3456 7890', email: 'dewi@example.id' };
    await startVisitorCall(visitor, caller);

    await agent.waitForSelector('[data-softphone="incoming"]', { state: 'visible', timeout: 20_000 });
    await expect.poll(() => agent.locator('[data-softphone="caller-name"]').textContent()).toBe(caller.name);
    expect(await agent.locator('[data-softphone="incoming"] img').count()).toBe(0);
    await agent.click('button[data-softphone="answer"]');

    await expect.poll(() => status(visitor, 'data-sambung'), { timeout: 15_000 }).toBe('connected');
    await expect.poll(() => status(agent, 'data-softphone'), { timeout: 15_000 }).toBe('in-call');

    const before = { visitor: await visitor.evaluate(inboundAudioBytes), agent: await agent.evaluate(inboundAudioBytes) };
    await visitor.waitForTimeout(3000);
    const after = { visitor: await visitor.evaluate(inboundAudioBytes), agent: await agent.evaluate(inboundAudioBytes) };
    expect(after.visitor).toBeGreaterThan(before.visitor);
    expect(after.agent).toBeGreaterThan(before.agent);

    const [call] = harness.bridge.b2bua.activeCalls;
    expect(call?.state).toBe('connected');
    expect(call!.visitorMedia.stats.packetsIn).toBeGreaterThan(50);
    expect(call!.visitorMedia.stats.packetsOut).toBeGreaterThan(50);
    expect(call!.agentMedia!.stats.packetsIn).toBeGreaterThan(50);
    expect(call!.agentMedia!.stats.packetsOut).toBeGreaterThan(50);
    const metrics = await (await fetch(`${harness.bridge.url}/metrics`)).text();
    expect(metrics).toMatch(/sambung_media_packets\{leg="agent",direction="in"\} [1-9]/);
    expect(metrics).toMatch(/sambung_active_calls 1/);

    await visitor.click('button[data-sambung="hangup"]');
    await expect.poll(() => status(visitor, 'data-sambung')).toBe('ended');
    await expect.poll(() => harness.bridge.b2bua.activeCalls.length).toBe(0);
    await expect.poll(() => status(agent, 'data-softphone')).not.toBe('in-call');

    await harness.bridge.b2bua.flush();
    const tenant = await demoTenant();
    const [row] = await harness.bridge.store.calls.list(tenant.id, { limit: 1 });
    const alice = await harness.bridge.store.agents.findByUsername(tenant.id, 'alice');
    expect(row).toMatchObject({
      callerName: caller.name,
      callerPhone: '+6281234567890', // the widget normalises the number it sends
      callerEmail: caller.email,
      agentId: alice!.id,
      endReason: 'completed',
    });
    expect(row!.waitSeconds).toBeGreaterThan(0);
    expect(row!.talkSeconds).toBeGreaterThanOrEqual(3);
    expect(row!.talkSeconds).toBeLessThan(30);

    // The recording: a stereo WAV whose channels both carry the fake devices' tones, as long as the talk time.
    const recording = await until(async () => {
      const [r] = await harness.bridge.store.recordings.byCall(tenant.id, row!.id);
      return r?.state === 'rendered' ? r : null;
    }, 'recording rendered');
    const wav = await playedRecording(harness.bridge, recording.id);
    const m = channelRms(wav);
    expect(m.channels).toBe(2);
    expect(m.left).toBeGreaterThan(50);
    expect(m.right).toBeGreaterThan(50);
    expect(Math.abs(m.seconds - row!.talkSeconds!)).toBeLessThan(1);
  });

  it('records an abandoned call when the visitor hangs up while queued, and the agent never rings', async () => {
    const agent = await page('/agent');
    await signIn(agent, 'alice');
    await setState(agent, 'away');
    let rang = false;
    await agent.exposeFunction('__rang', () => void (rang = true));
    await agent.evaluate(() => {
      const el = document.querySelector('[data-softphone="status"]')!;
      new MutationObserver(() => {
        if (el.getAttribute('data-state') === 'ringing') (window as unknown as { __rang(): void }).__rang();
      }).observe(el, { attributes: true });
    });

    const visitor = await page('/demo');
    await startVisitorCall(visitor, { name: 'Budi', phone: '0812 0000 1111', email: '' });
    await expect.poll(() => status(visitor, 'data-sambung'), { timeout: 15_000 }).toBe('waiting');
    await expect.poll(() => visitor.evaluate(inboundAudioBytes), { timeout: 10_000 }).toBeGreaterThan(0);
    await visitor.waitForTimeout(1000);
    await visitor.click('button[data-sambung="hangup"]');
    await expect.poll(() => status(visitor, 'data-sambung')).toBe('ended');
    await expect.poll(() => harness.bridge.b2bua.activeCalls.length).toBe(0);

    await harness.bridge.b2bua.flush();
    const [row] = await harness.bridge.store.calls.list((await demoTenant()).id, { limit: 1 });
    expect(row).toMatchObject({ callerName: 'Budi', endReason: 'abandoned', agentId: null, answeredAt: null });
    expect(row!.waitSeconds).toBeGreaterThan(0.5);
    const metrics = await (await fetch(`${harness.bridge.url}/metrics`)).text();
    expect(metrics).not.toMatch(/sambung_sip_messages_total\{direction="out",method="INVITE",status=""\}/);
    expect(rang).toBe(false);
  });
});
