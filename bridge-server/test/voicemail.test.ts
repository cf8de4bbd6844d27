import { afterEach, describe, expect, it } from 'vitest';
import { FakeCrmServer } from '../src/crm/fake-crm-server.js';
import { HttpCrmAdapter } from '../src/crm/http-crm-adapter.js';
import { loadHoldAudio } from '../src/media/hold-player.js';
import { getHeader } from '../src/sip/message.js';
import { login, until } from './support/recorded-call.js';
import { SipWsClient } from './support/sip-ws-client.js';
import { startTestBridge, visitorInvite, visitorToken } from './support/test-bridge.js';
import { channelRms } from './support/wav.js';
import { TestPeer } from './support/webrtc-peer.js';
import { TestResources } from './support/test-resources.js';

type TestBridge = Awaited<ReturnType<typeof startTestBridge>>;
let bridge: TestBridge | undefined;
let crm: FakeCrmServer | undefined;
const own = new TestResources();
const { clients, peers } = own;

afterEach(async () => {
  await own.release();
  await bridge?.dispose();
  await crm?.close();
});

describe('voicemail deflection', () => {
  it('answers an after-hours caller, records its message and delivers it to the CRM as a voicemail', async () => {
    crm = await FakeCrmServer.start();
    const account = crm.createAccount('vm-token');
    const adapter = new HttpCrmAdapter({ baseUrl: crm.url, token: () => 'vm-token' });
    bridge = await startTestBridge(
      { RECORDING_KEY: Buffer.alloc(32, 6).toString('base64') },
      { crm: async (tenantId) => ({ adapter, ctx: { tenantId, timeZone: 'Asia/Jakarta' } }) },
    );
    const admin = await login(bridge, 'admin');
    const openDay = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][(new Date().getUTCDay() + 2) % 7]!;
    const put = await fetch(`${bridge.url}/api/admin/queues/sales`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({
        businessHours: { timeZone: 'UTC', weekly: { [openDay]: [{ from: '09:00', to: '17:00' }] } },
        afterHours: { type: 'voicemail', greeting: 'We are closed. Leave a message after the tone.' },
      }),
    });
    expect(put.status).toBe(200);

    const visitor = await SipWsClient.connect(bridge.wsUrl);
    clients.push(visitor);
    const peer = new TestPeer();
    peers.push(peer);
    const inv = visitorInvite(visitor, { token: await visitorToken(bridge), sdp: await peer.offer() });
    inv.send();
    const ok = await visitor.response('INVITE', 200);
    const vm = JSON.parse(decodeURIComponent(getHeader(ok, 'x-sambung-voicemail')!));
    expect(vm).toEqual({ reason: 'closed', maxSeconds: 120, greeting: 'We are closed. Leave a message after the tone.' });
    expect(getHeader(ok, 'x-sambung-agent')).toBeUndefined();
    await peer.accept(ok.body);
    inv.ack(ok.to.params.tag!);
    peer.talk([...(await loadHoldAudio())]);
    await new Promise((r) => setTimeout(r, 2000));
    inv.bye(ok.to.params.tag!, 2);
    expect((await visitor.response('BYE')).status).toBe(200);

    await until(() => account.callLogs.length === 1 && account.attachments.length === 1, 'the voicemail delivered', 30_000);
    expect(account.callLogs[0]).toMatchObject({ outcome: 'voicemail' });
    const m = channelRms(account.attachments[0]!.bytes);
    expect(m.left).toBeGreaterThan(100);
    expect(m.right).toBe(0);
    expect(m.seconds).toBeGreaterThan(1);
  });
});
