import { describe, expect, it } from 'vitest';
import { HostAdapterError } from '../../softphone/src/host-adapter.js';
import { hostContextFrom } from './zaf-context.js';

describe('hostContextFrom', () => {
  it('reads id, name, e-mail, locale and IANA time zone', () => {
    expect(hostContextFrom({ id: 1, name: 'Ayu', email: 'a@x.id', locale: 'id', timeZone: { ianaName: 'Asia/Makassar' } }, 'zendesk'))
      .toEqual({ crm: 'zendesk', user: { id: '1', name: 'Ayu', email: 'a@x.id' }, locale: 'id', timeZone: 'Asia/Makassar' });
  });

  it('falls back to en and leaves out an unknown time zone or empty e-mail', () => {
    expect(hostContextFrom({ id: '2', name: 'B', email: '', locale: '!!', timeZone: { ianaName: 'Mars/Olympus' } }, 'zendesk'))
      .toEqual({ crm: 'zendesk', user: { id: '2', name: 'B' }, locale: 'en' });
    expect(hostContextFrom({ id: 3 }, 'zendesk')).toEqual({ crm: 'zendesk', user: { id: '3', name: '' }, locale: 'en' });
  });

  it('refuses a missing user or id', () => {
    for (const user of [undefined, null, 'x', {}, { id: '' }, { id: { nested: 1 } }]) {
      expect(() => hostContextFrom(user, 'zendesk')).toThrow(HostAdapterError);
    }
  });
});
