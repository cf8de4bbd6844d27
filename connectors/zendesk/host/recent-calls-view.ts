/**
 * The sidebar's list of this requester's recent calls, with a link to each recording. Text nodes only; the
 * only URL in it is a recording link already checked by `safeRecordingHref`.
 */
import { el } from '../../../browser-kit/src/dom.js';
import { formatDuration } from '../../../browser-kit/src/duration.js';
import type { RecentCall } from './recent-calls.js';

export type RecentCallsState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'calls'; readonly calls: readonly RecentCall[] }
  | { readonly kind: 'error'; readonly message: string };

export class RecentCallsView {
  readonly element: HTMLElement;
  readonly #format: (iso: string) => string;

  constructor(container: HTMLElement, locale = 'en', timeZone?: string) {
    this.element = el('section', { class: 'zd-recent', 'data-zendesk': 'recent-calls', 'aria-live': 'polite' });
    container.append(this.element);
    const format = dateFormat(locale, timeZone);
    this.#format = (iso) => {
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? iso : format.format(date);
    };
  }

  render(state: RecentCallsState): void {
    this.element.setAttribute('data-state', state.kind);
    const heading = el('h2', {}, ['Recent calls']);
    if (state.kind === 'loading') {
      this.element.replaceChildren(heading, el('p', { class: 'zd-meta' }, ['Loading…']));
    } else if (state.kind === 'error') {
      this.element.replaceChildren(heading, el('p', { class: 'zd-error', role: 'alert' }, [state.message]));
    } else if (state.calls.length === 0) {
      this.element.replaceChildren(heading, el('p', { class: 'zd-meta' }, ['No calls with this person yet.']));
    } else {
      this.element.replaceChildren(heading, el('ol', { class: 'zd-calls' }, state.calls.map((call) => this.#item(call))));
    }
  }

  #item(call: RecentCall): HTMLElement {
    const talk = call.durationSec > 0 ? ` · ${formatDuration(call.durationSec * 1000)}` : '';
    const details = [`${call.outcome || 'unknown'}${talk}`, call.queue && `Queue: ${call.queue}`, call.agent && `Agent: ${call.agent}`];
    return el('li', { 'data-call-id': call.callId, 'data-outcome': call.outcome }, [
      el('strong', {}, [`${this.#format(call.startedAt)} · ${call.direction === 'outbound' ? 'Outbound' : 'Inbound'}`]),
      el('p', { class: 'zd-meta' }, [details.filter(Boolean).join(' · ')]),
      call.recordingUrl
        ? el('a', { href: call.recordingUrl, target: '_blank', rel: 'noopener noreferrer', 'data-zendesk': 'recording' },
          ['Play recording'])
        : null,
    ]);
  }
}

function dateFormat(locale: string, timeZone?: string): Intl.DateTimeFormat {
  const options: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' };
  try {
    return new Intl.DateTimeFormat(locale, timeZone ? { ...options, timeZone } : options);
  } catch {
    return new Intl.DateTimeFormat('en', options);
  }
}
