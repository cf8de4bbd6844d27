import { describe, expect, it } from 'vitest';
import { parseAnswerStatus } from './status-info.js';
import {
  DEFAULT_VOICEMAIL_GREETING, describeVoicemailTimer, parseVoicemailHeader, readVoicemail, voicemailRemainingSec,
} from './voicemail.js';

const encode = (value: unknown): string => encodeURIComponent(JSON.stringify(value));

describe('parseVoicemailHeader', () => {
  it('reads the reason, the limit and the greeting', () => {
    expect(parseVoicemailHeader(encode({ reason: 'closed', maxSeconds: 120, greeting: 'Please leave a message after the tone.' })))
      .toEqual({ reason: 'closed', maxSeconds: 120, greeting: 'Please leave a message after the tone.' });
    expect(parseVoicemailHeader(encode({ reason: 'max-wait', maxSeconds: 60, greeting: 'Halo — tinggalkan pesan 🙏' })))
      .toEqual({ reason: 'max-wait', maxSeconds: 60, greeting: 'Halo — tinggalkan pesan 🙏' });
  });

  it('is null only when the header is absent', () => {
    expect(parseVoicemailHeader(undefined)).toBeNull();
  });

  it('uses the default greeting when none or nothing usable is sent', () => {
    expect(parseVoicemailHeader(encode({ reason: 'closed', maxSeconds: 120 })))
      .toEqual({ reason: 'closed', maxSeconds: 120, greeting: DEFAULT_VOICEMAIL_GREETING });
    for (const greeting of ['', '   ', '\u0000\u202e', 42, null, ['hi'], { text: 'hi' }]) {
      expect(parseVoicemailHeader(encode({ maxSeconds: 120, greeting })))
        .toEqual({ maxSeconds: 120, greeting: DEFAULT_VOICEMAIL_GREETING });
    }
  });

  it('drops missing, unknown or unusable fields but still reports a voicemail', () => {
    expect(parseVoicemailHeader(encode({}))).toEqual({ greeting: DEFAULT_VOICEMAIL_GREETING });
    expect(parseVoicemailHeader(encode({ reason: 'holiday', maxSeconds: '120', extra: 1 })))
      .toEqual({ greeting: DEFAULT_VOICEMAIL_GREETING });
  });

  it('accepts a limit only within 10–600 whole seconds', () => {
    for (const ok of [10, 120, 600]) expect(readVoicemail({ maxSeconds: ok }).maxSeconds).toBe(ok);
    for (const bad of [9, 0, -120, 601, 3600, 120.5, Number.NaN, Infinity, '120', null, true, 1e21]) {
      expect(readVoicemail({ maxSeconds: bad })).toEqual({ greeting: DEFAULT_VOICEMAIL_GREETING });
    }
  });

  it('survives hostile input: malformed, oversized, non-objects, prototype tricks', () => {
    const defaults = { greeting: DEFAULT_VOICEMAIL_GREETING };
    for (const raw of ['', ' ', '%', '%E0%A4%A', '{', 'null', '[]', '"voicemail"', '42', 'true', '[{"maxSeconds":60}]',
      encode({ maxSeconds: 60, greeting: 'x'.repeat(10_000) }).padEnd(9000, ' ')]) {
      expect(parseVoicemailHeader(raw)).toEqual(defaults);
    }
    expect(parseVoicemailHeader('{"__proto__":{"maxSeconds":60,"greeting":"pwned"}}')).toEqual(defaults);
    const inherited = Object.create({ maxSeconds: 60, greeting: 'inherited' }) as object;
    expect(readVoicemail(inherited)).toEqual(defaults);
  });

  it('cleans the greeting: no controls or bidi overrides, length capped, kept as plain text', () => {
    const vm = parseVoicemailHeader(encode({ greeting: '\u202eenot eht retfa\u202c <img src=x onerror=alert(1)>\u0007' }))!;
    expect(vm.greeting).toBe('enot eht retfa <img src=x onerror=alert(1)>');
    expect([...parseVoicemailHeader(encode({ greeting: '😀'.repeat(600) }))!.greeting]).toHaveLength(500);
    expect(parseVoicemailHeader(encode({ greeting: 'Line one\r\n\r\n\r\n\r\nLine two' }))!.greeting).toBe('Line one\n\nLine two');
  });

  it('reads an unencoded JSON value too', () => {
    expect(parseVoicemailHeader(' {"maxSeconds":30} ')).toEqual({ maxSeconds: 30, greeting: DEFAULT_VOICEMAIL_GREETING });
  });
});

describe('parseAnswerStatus', () => {
  it('is voicemail when the header is there, whatever else the 200 says', () => {
    expect(parseAnswerStatus({ voicemail: encode({ reason: 'full', maxSeconds: 90 }) }))
      .toEqual({ state: 'voicemail', voicemail: { reason: 'full', maxSeconds: 90, greeting: DEFAULT_VOICEMAIL_GREETING } });
    expect(parseAnswerStatus({ voicemail: 'garbage', agent: 'Alice' }))
      .toEqual({ state: 'voicemail', voicemail: { greeting: DEFAULT_VOICEMAIL_GREETING } });
  });

  it('is connected (with the agent when named) otherwise', () => {
    expect(parseAnswerStatus({ agent: 'Alice%20Agent' })).toEqual({ state: 'connected', agent: 'Alice Agent' });
    expect(parseAnswerStatus({})).toEqual({ state: 'connected' });
    expect(parseAnswerStatus()).toEqual({ state: 'connected' });
  });
});

describe('voicemail timer', () => {
  it('shows elapsed of the limit, capped at the limit', () => {
    expect(describeVoicemailTimer(0, 120)).toBe('00:00 / 02:00');
    expect(describeVoicemailTimer(65_900, 120)).toBe('01:05 / 02:00');
    expect(describeVoicemailTimer(500_000, 120)).toBe('02:00 / 02:00');
    expect(describeVoicemailTimer(-5, 600)).toBe('00:00 / 10:00');
    expect(describeVoicemailTimer(Number.NaN, 10)).toBe('00:00 / 00:10');
  });

  it('shows only the elapsed time when the limit is unknown', () => {
    expect(describeVoicemailTimer(61_000, undefined)).toBe('01:01');
  });

  it('counts the seconds left down to zero', () => {
    expect(voicemailRemainingSec(0, 120)).toBe(120);
    expect(voicemailRemainingSec(30_500, 120)).toBe(90);
    expect(voicemailRemainingSec(999_000, 120)).toBe(0);
  });
});
