import { describe, expect, it } from 'vitest';
import { crmCardModel, waitingText } from './crm-card-model.js';
import { whenFormat } from './format-when.js';
import { connection, overview } from './admin-test-kit.js';

const when = whenFormat('en-GB', 'UTC');

describe('the CRM card', () => {
  it('asks to connect Zendesk when no CRM is connected', () => {
    const model = crmCardModel(overview(null, { done: 2 }), when);
    expect(model).toEqual({ state: 'not-connected', heading: 'Zendesk is not connected', message: expect.stringContaining('Connect it below') });
  });

  it('lists what a connected Zendesk does', () => {
    const model = crmCardModel(overview(connection({ hasAppKey: true, settings: { account: 'acme', screenPop: 'ticket', recordings: 'upload' } })), when);
    expect(model).toEqual({
      state: 'connected',
      heading: 'Zendesk connected',
      note: null,
      facts: [
        { label: 'Account user', value: 'admin@acme.test' },
        { label: 'Subdomain', value: 'acme.zendesk.com' },
        { label: 'Screen pop', value: "The caller's newest open ticket (else their profile)" },
        { label: 'Recordings', value: 'Uploaded to the voice ticket (local copy deleted once confirmed)' },
        { label: 'Time zone', value: 'Asia/Jakarta' },
        { label: 'App key', value: 'Made (the app can list recent calls)' },
        { label: 'Updated', value: '22 Nov 2025, 06:05' },
      ],
    });
  });

  it('shows the defaults of a connection stored without screen pop or recordings, and an unknown account user', () => {
    const model = crmCardModel(overview(connection({ accountUser: null, settings: { account: 'acme' } })), when);
    if (model.state !== 'connected') throw new Error(model.state);
    expect(model.facts.slice(0, 4).map((f) => f.value)).toEqual(['unknown', 'acme.zendesk.com', 'default', 'default']);
  });

  it('points at parked deliveries while connected', () => {
    const model = crmCardModel(overview(connection(), { parked: 2 }), when);
    expect(model).toMatchObject({ state: 'connected', note: '2 deliveries parked: see Deliveries below.' });
    expect(crmCardModel(overview(connection(), { parked: 1 }), when)).toMatchObject({ note: '1 delivery parked: see Deliveries below.' });
  });

  it("turns into the Reconnect banner with Zendesk's reason and the waiting deliveries", () => {
    const reason = 'credentials refused (401) on create call log: reconnect the CRM';
    const model = crmCardModel(overview(connection({ status: 'reconnect-required', reason }), { 'waiting-auth': 3, parked: 1 }), when);
    expect(model).toMatchObject({
      state: 'reconnect',
      heading: 'Reconnect Zendesk',
      lead: "Zendesk refused Sambung's stored credentials, so nothing reaches Zendesk until you reconnect.",
      reason,
      waiting: 3,
      waitingText: '3 deliveries are waiting for new credentials. Nothing is lost: they are sent once you reconnect.',
    });
    expect(model.state === 'reconnect' && model.facts.length).toBe(7);
  });

  it('keeps a hostile reason exactly as Zendesk sent it (the view renders it as text)', () => {
    const reason = '<img src=x onerror=alert(1)>';
    expect(crmCardModel(overview(connection({ status: 'reconnect-required', reason })), when)).toMatchObject({ reason });
  });

  it('says why when the bridge gave no reason, and when nothing waits yet', () => {
    const model = crmCardModel(overview(connection({ status: 'reconnect-required', reason: '  ' })), when);
    expect(model).toMatchObject({
      reason: 'Zendesk refused the stored credentials.',
      waiting: 0,
      waitingText: 'No deliveries are waiting yet; new calls will wait until Zendesk is reconnected.',
    });
    expect(waitingText(1, 'Zendesk')).toBe('1 delivery is waiting for new credentials. Nothing is lost: they are sent once you reconnect.');
  });

  it('names another CRM kind by its kind and shows an unparsable time as it came', () => {
    const model = crmCardModel(overview(connection({ kind: 'hubspot', settings: { account: 'x1' }, updatedAt: 'yesterday' })), when);
    expect(model).toMatchObject({ heading: 'hubspot connected' });
    if (model.state !== 'connected') throw new Error(model.state);
    expect(model.facts.find((f) => f.label === 'Subdomain')!.value).toBe('x1');
    expect(model.facts.find((f) => f.label === 'Updated')!.value).toBe('yesterday');
  });
});
