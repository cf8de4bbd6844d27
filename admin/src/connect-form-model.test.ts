import { describe, expect, it } from 'vitest';
import { AdminError } from './admin-errors.js';
import { connectedText, connectFormDefaults, connectFormErrors, connectRequest } from './connect-form-model.js';
import { connection } from './admin-test-kit.js';

describe('the connect form', () => {
  it("starts empty on the browser's time zone when nothing is connected", () => {
    expect(connectFormDefaults(null, 'Europe/Berlin')).toEqual({
      account: '', email: '', token: '', screenPop: 'user', recordings: 'link', timeZone: 'Europe/Berlin',
    });
    expect(connectFormDefaults(null, '').timeZone).toBe('UTC');
  });

  it('starts a reconnect from the stored connection, never with a token', () => {
    const conn = connection({ status: 'reconnect-required', settings: { account: 'acme', screenPop: 'ticket', recordings: 'upload' } });
    expect(connectFormDefaults(conn, 'Europe/Berlin')).toEqual({
      account: 'acme', email: 'admin@acme.test', token: '', screenPop: 'ticket', recordings: 'upload', timeZone: 'Asia/Jakarta',
    });
  });

  it('leaves the e-mail empty when the account user is a name, not an address', () => {
    expect(connectFormDefaults(connection({ accountUser: 'Sambung Integration' }), 'UTC').email).toBe('');
  });

  it('builds the PUT /api/admin/crm body of an API-token connection', () => {
    const body = connectRequest({ account: ' acme ', email: ' admin@acme.test', token: ' t0ken ', screenPop: 'ticket', recordings: 'link', timeZone: 'Asia/Jakarta ' });
    expect(body).toEqual({
      kind: 'zendesk',
      timeZone: 'Asia/Jakarta',
      settings: { account: 'acme', screenPop: 'ticket', recordings: 'link' },
      secret: { kind: 'api-token', email: 'admin@acme.test', token: 't0ken' },
    });
  });

  it('puts each field error next to its field and the rest in the form error', () => {
    const error = AdminError.fromStatus(400, {
      serverCode: 'HTTP_BAD_REQUEST',
      message: 'invalid zendesk settings',
      fieldErrors: { account: ['must be your Zendesk subdomain, e.g. "acme" for acme.zendesk.com'], '(root)': ['Invalid input'], kind: ['x'] },
    }, false);
    expect(connectFormErrors(error)).toEqual({
      message: 'Invalid zendesk settings',
      fields: { account: ['must be your Zendesk subdomain, e.g. "acme" for acme.zendesk.com'] },
      others: ['(root): Invalid input', 'kind: x'],
    });
  });

  it('reads credential errors, time zone errors, and a refusal by Zendesk with no fields', () => {
    const secret = AdminError.fromStatus(400, { message: 'invalid zendesk credentials', fieldErrors: { email: ['invalid or missing'], token: ['invalid or missing'] } }, false);
    expect(connectFormErrors(secret).fields).toEqual({ email: ['invalid or missing'], token: ['invalid or missing'] });
    const zone = AdminError.fromStatus(400, { message: 'invalid CRM connection', fieldErrors: { timeZone: ['must be an IANA time zone like Asia/Jakarta'] } }, false);
    expect(connectFormErrors(zone).fields).toEqual({ timeZone: ['must be an IANA time zone like Asia/Jakarta'] });
    const refused = AdminError.fromStatus(400, { message: "zendesk refused the connection: Couldn't authenticate you" }, false);
    expect(connectFormErrors(refused)).toEqual({ message: "Zendesk refused the connection: Couldn't authenticate you", fields: {}, others: [] });
  });

  it('says something sensible for an error that is not the bridge speaking', () => {
    expect(connectFormErrors(new Error('x'))).toEqual({ message: 'Something went wrong. Please try again.', fields: {}, others: [] });
    expect(connectFormErrors(AdminError.unreachable(new TypeError('x'))).message).toBe('Cannot reach the Sambung bridge. Check your connection.');
  });

  it('says how many deliveries resumed', () => {
    expect(connectedText({ connection: connection(), resumedDeliveries: 0 })).toBe('Connected — 0 deliveries resumed');
    expect(connectedText({ connection: connection(), resumedDeliveries: 1 })).toBe('Connected — 1 delivery resumed');
    expect(connectedText({ connection: connection(), resumedDeliveries: 12 })).toBe('Connected — 12 deliveries resumed');
  });
});
