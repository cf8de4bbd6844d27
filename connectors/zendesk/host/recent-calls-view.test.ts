import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecentCall } from './recent-calls.js';
import { RecentCallsView } from './recent-calls-view.js';
import { asHtml, elementsOf, installMiniDom, miniDocument, type MiniElement } from './test-support/mini-dom.js';

let uninstall: () => void;
beforeEach(() => {
  uninstall = installMiniDom();
});
afterEach(() => uninstall());

const call = (overrides: Partial<RecentCall> = {}): RecentCall => ({
  callId: 'c1', startedAt: '2030-01-01T09:00:00Z', direction: 'inbound', queue: 'sales', agent: 'Ayu', durationSec: 75,
  outcome: 'answered', recordingUrl: 'https://bridge.example/recordings/a.wav', ...overrides,
});

function view() {
  const container = miniDocument.createElement('div');
  const v = new RecentCallsView(asHtml(container), 'en-GB', 'UTC');
  return { v, root: v.element as unknown as MiniElement };
}

describe('RecentCallsView', () => {
  it('lists calls as text with a safe recording link', () => {
    const { v, root } = view();
    v.render({ kind: 'calls', calls: [call(), call({ callId: 'c2', agent: '<img src=x onerror=alert(1)>', durationSec: 0,
      outcome: 'missed', recordingUrl: null, direction: 'outbound', queue: '' })] });
    expect(root.getAttribute('data-state')).toBe('calls');
    const items = elementsOf(root, 'li');
    expect(items.map((li) => li.getAttribute('data-call-id'))).toEqual(['c1', 'c2']);
    expect(elementsOf(items[0]!, 'strong')[0]!.textContent).toMatch(/Jan 2030.*09:00 · Inbound$/);
    expect(elementsOf(items[0]!, 'p')[0]!.textContent).toBe('answered · 01:15 · Queue: sales · Agent: Ayu');
    expect(items[1]!.textContent).toContain('Outbound');
    expect(items[1]!.textContent).toContain('missed · Agent: <img src=x onerror=alert(1)>');
    expect(elementsOf(root, 'img')).toEqual([]);
    const links = elementsOf(root, 'a');
    expect(links).toHaveLength(1);
    expect(Object.fromEntries(links[0]!.attributes)).toMatchObject({
      href: 'https://bridge.example/recordings/a.wav', target: '_blank', rel: 'noopener noreferrer',
    });
  });

  it('shows loading, an empty list and an error as text', () => {
    const { v, root } = view();
    v.render({ kind: 'loading' });
    expect(root.textContent).toBe('Recent callsLoading…');
    v.render({ kind: 'calls', calls: [] });
    expect(root.textContent).toBe('Recent callsNo calls with this person yet.');
    v.render({ kind: 'error', message: 'Could not <b>load</b>' });
    expect(root.getAttribute('data-state')).toBe('error');
    expect(elementsOf(root, 'p')[0]!.textContent).toBe('Could not <b>load</b>');
  });

  it('shows an unparseable start time as given', () => {
    const { v, root } = view();
    v.render({ kind: 'calls', calls: [call({ startedAt: 'yesterday' })] });
    expect(elementsOf(root, 'strong')[0]!.textContent).toBe('yesterday · Inbound');
  });
});
