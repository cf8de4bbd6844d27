import { describe, expect, it } from 'vitest';
import { escapeHtml, MAX_NOTIFY_CHARS, zafNotifyArgs } from './zaf-notify.js';

describe('zafNotifyArgs', () => {
  it('escapes markup so Zendesk shows the text as typed', () => {
    expect(escapeHtml(`<script>alert('x')</script> & "y"`)).toBe('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;');
    expect(zafNotifyArgs('Missed call from <b>Siti</b>', 'info')).toEqual(['Missed call from &lt;b&gt;Siti&lt;/b&gt;', 'notice']);
  });

  it('maps softphone kinds to the framework’s notice, alert and error', () => {
    expect(zafNotifyArgs('a', 'info')[1]).toBe('notice');
    expect(zafNotifyArgs('a', 'warning')[1]).toBe('alert');
    expect(zafNotifyArgs('a', 'error')[1]).toBe('error');
  });

  it('shortens very long messages before escaping, never cutting an entity', () => {
    const [message] = zafNotifyArgs('<'.repeat(10_000), 'error');
    expect(message).toBe(`${'&lt;'.repeat(MAX_NOTIFY_CHARS - 1)}…`);
  });
});
