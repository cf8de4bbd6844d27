/**
 * The real DOM for {@link StandaloneHost}: on the standalone `/agent` page the page itself plays the CRM, so
 * this draws what a CRM would — the popped caller card, a click-to-dial field and the recent-calls list — and
 * applies `setVisible`/`resize` to the console frame. Text only, via `textContent`.
 */
import { el, show } from '../../../browser-kit/src/dom.js';
import { formatDuration } from '../../../browser-kit/src/duration.js';
import type { CallLogEntry, NoticeKind } from './host-adapter.js';
import type { CallerCard, StandaloneView } from './standalone-host.js';

const NOTICE_MS = 8000;

export class StandaloneDomView implements StandaloneView {
  readonly element: HTMLElement;
  readonly #card: HTMLElement;
  readonly #recent: HTMLOListElement;
  readonly #notices: HTMLElement;
  readonly #dialForm: HTMLFormElement;
  readonly #dialInput: HTMLInputElement;
  readonly #timeFormat: Intl.DateTimeFormat;

  constructor(
    private readonly frame: HTMLElement,
    locale = 'en',
  ) {
    this.#timeFormat = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
    this.#card = el('div', { 'data-host': 'caller-card' }, [el('p', { class: 'sp-meta' }, ['No caller yet.'])]);
    // A colleague's username or extension until a PSTN trunk exists, so not `type=tel` (digits-only keypads).
    this.#dialInput = el('input', { name: 'dial', type: 'text', autocomplete: 'off', autocapitalize: 'none',
      spellcheck: 'false', placeholder: 'bob or 201', 'aria-label': 'Colleague to call: username or extension' });
    this.#dialForm = el('form', { class: 'sp-dial', 'data-host': 'dial' }, [
      this.#dialInput,
      el('button', { type: 'submit', class: 'sp-btn' }, ['Dial']),
    ]);
    this.#recent = el('ol', { 'data-host': 'recent-calls' });
    this.#notices = el('div', { class: 'sp-notices', 'data-host': 'notices', 'aria-live': 'polite' });
    this.element = el('aside', { class: 'sp sp-host', 'aria-label': 'Caller details and recent calls' }, [
      el('div', { class: 'sp-body' }, [
        el('section', {}, [el('h2', {}, ['Caller']), this.#card]),
        el('section', {}, [el('h2', {}, ['Click to dial']), this.#dialForm]),
        el('section', {}, [el('h2', {}, ['Recent calls']), this.#recent]),
      ]),
      this.#notices,
    ]);
  }

  showCallerCard({ caller, result }: CallerCard): void {
    const match = result.kind === 'opened' ? `Known caller: ${result.record.label}`
      : result.kind === 'choose' ? `Possible matches: ${result.candidates.map((c) => c.label).join(', ')}`
        : result.kind === 'created' ? `New record: ${result.record.label}`
          : 'New caller';
    const lines = [caller.name || 'Unknown caller', caller.phone, caller.email];
    this.#card.replaceChildren(
      ...lines.filter(Boolean).map((text, index) => el('p', index === 0 ? { class: 'sp-name' } : {}, [text])),
      el('p', { class: 'sp-meta' }, [[caller.queue && `Queue: ${caller.queue}`, match].filter(Boolean).join(' · ')]),
    );
  }

  showRecentCalls(entries: readonly CallLogEntry[]): void {
    if (entries.length === 0) {
      this.#recent.replaceChildren(el('li', { class: 'sp-meta' }, ['No calls yet.']));
      return;
    }
    this.#recent.replaceChildren(...entries.map((entry) => {
      const who = entry.caller.name || entry.caller.phone || entry.caller.email || 'Unknown caller';
      const talk = entry.outcome === 'answered' ? ` ${formatDuration(entry.talkSeconds * 1000)}` : '';
      return el('li', { 'data-outcome': entry.outcome }, [
        el('strong', {}, [who]),
        ` · ${entry.outcome}${talk} · ${this.#timeFormat.format(new Date(entry.startedAt))}`,
        entry.queue ? ` · ${entry.queue}` : '',
      ]);
    }));
  }

  onDialRequest(handler: (raw: string) => void): () => void {
    const listener = (event: Event): void => {
      event.preventDefault();
      handler(this.#dialInput.value);
    };
    this.#dialForm.addEventListener('submit', listener);
    return () => this.#dialForm.removeEventListener('submit', listener);
  }

  setVisible(visible: boolean): void {
    show(this.frame, visible);
    if (visible) window.focus();
  }

  setSize(size: { readonly width: number; readonly height: number }): void {
    this.frame.style.maxWidth = `${size.width}px`;
    this.frame.style.minHeight = `${size.height}px`;
  }

  showNotice(message: string, kind: NoticeKind): void {
    const notice = el('p', { class: 'sp-notice', 'data-kind': kind, role: kind === 'error' ? 'alert' : 'status' },
      [message]);
    this.#notices.append(notice);
    setTimeout(() => notice.remove(), NOTICE_MS);
  }

  dispose(): void {
    this.element.remove();
  }
}
