/**
 * The CRM connection card: draws a {@link CrmCardModel} — not connected, connected (the facts), or the
 * "Reconnect Zendesk" banner with Zendesk's reason and the waiting deliveries — around the connect form, and the
 * disconnect button with its inline confirmation. Everything from the API goes in as text.
 */
import { el } from '../../browser-kit/src/dom.js';
import type { ConnectFormValues } from './connect-form-model.js';
import type { ConnectFormView } from './connect-form-view.js';
import type { CrmCardModel, Fact } from './crm-card-model.js';

export interface CrmCardActions {
  /** Resolves with an error sentence, or null once disconnected. */
  disconnect(): Promise<string | null>;
}

export class CrmCardView {
  readonly element: HTMLElement;
  readonly #form: ConnectFormView;
  readonly #heading = el('h2', { id: 'crm-heading' });
  readonly #banner = el('div', { class: 'banner', role: 'alert', hidden: true });
  readonly #message = el('p', { class: 'lead' });
  readonly #facts = el('dl', { class: 'facts' });
  readonly #note = el('p', { class: 'note', hidden: true });
  readonly #status = el('p', { class: 'status-line', role: 'status', 'aria-live': 'polite' });
  readonly #change = el('button', { type: 'button', class: 'btn quiet', 'aria-expanded': 'false', 'aria-controls': 'connect-form' }, ['Change connection']);
  readonly #disconnect = el('button', { type: 'button', class: 'btn danger quiet' }, ['Disconnect Zendesk…']);
  readonly #confirm: HTMLElement;
  readonly #confirmError = el('p', { class: 'form-error', role: 'alert' });
  #state: CrmCardModel['state'] | null = null;
  #changing = false;

  constructor(form: ConnectFormView, actions: CrmCardActions) {
    this.#form = form;
    form.element.id = 'connect-form';
    const yes = el('button', { type: 'button', class: 'btn danger' }, ['Disconnect']);
    const no = el('button', { type: 'button', class: 'btn quiet' }, ['Cancel']);
    this.#confirm = el('div', { class: 'confirm', role: 'group', 'aria-labelledby': 'disconnect-question', hidden: true }, [
      el('p', { id: 'disconnect-question' }, [
        'Disconnect Zendesk? Calls keep ringing, but nothing more reaches Zendesk and the Zendesk app key stops working until you connect again.',
      ]),
      this.#confirmError,
      el('div', { class: 'actions' }, [yes, no]),
    ]);
    this.#disconnect.addEventListener('click', () => {
      this.#confirm.hidden = false;
      this.#confirmError.textContent = '';
      no.focus();
    });
    no.addEventListener('click', () => {
      this.#confirm.hidden = true;
      this.#disconnect.focus();
    });
    yes.addEventListener('click', () => {
      yes.disabled = true;
      void actions.disconnect().then((error) => {
        yes.disabled = false;
        if (error) this.#confirmError.textContent = error;
        else this.#confirm.hidden = true;
      });
    });
    this.#change.addEventListener('click', () => {
      this.#changing = !this.#changing;
      this.#layout();
      if (this.#changing) this.#form.focusToken();
    });
    this.element = el('section', { class: 'card', 'aria-labelledby': 'crm-heading' }, [
      this.#heading,
      this.#banner,
      this.#message,
      this.#facts,
      this.#note,
      this.#status,
      el('div', { class: 'actions' }, [this.#change, this.#disconnect]),
      this.#confirm,
      form.element,
    ]);
  }

  /**
   * Draws `model`. When the state changes (or `resetForm`), the form is refilled with `defaults` — never on a
   * plain poll, so what the admin is typing stays.
   */
  render(model: CrmCardModel, defaults: ConnectFormValues, resetForm = false): void {
    const changed = model.state !== this.#state;
    this.#state = model.state;
    if (changed || resetForm) {
      this.#changing = false;
      this.#form.reset(defaults);
    }
    // An outcome line belongs to the state it was written in ("Connected — …" is stale once Zendesk refuses).
    if (changed) this.setStatus('');
    this.#heading.textContent = model.heading;
    if (model.state === 'reconnect') {
      this.#banner.replaceChildren(
        el('p', { class: 'banner-title' }, [model.lead]),
        el('p', {}, [el('span', { class: 'label' }, ['Reason: ']), el('q', { class: 'reason' }, [model.reason])]),
        el('p', { class: 'waiting' }, [model.waitingText]),
      );
      this.#banner.setAttribute('data-waiting', String(model.waiting));
    } else {
      this.#banner.replaceChildren();
      this.#banner.removeAttribute('data-waiting');
    }
    this.#message.textContent = model.state === 'not-connected' ? model.message : '';
    this.#facts.replaceChildren(...(model.state === 'not-connected' ? [] : model.facts.flatMap(fact)));
    this.#note.textContent = model.state === 'connected' ? (model.note ?? '') : '';
    this.#layout();
  }

  /** A short outcome under the facts ("Connected — 2 deliveries resumed"), read out politely. */
  setStatus(text: string): void {
    this.#status.textContent = text;
  }

  #layout(): void {
    const state = this.#state;
    this.#banner.hidden = state !== 'reconnect';
    this.#message.hidden = state !== 'not-connected';
    this.#facts.hidden = state === 'not-connected' || state === null;
    this.#note.hidden = this.#note.textContent === '';
    this.#change.hidden = state !== 'connected';
    this.#change.setAttribute('aria-expanded', String(this.#changing));
    this.#change.textContent = this.#changing ? 'Cancel the change' : 'Change connection';
    this.#disconnect.hidden = state === 'not-connected' || state === null;
    if (this.#disconnect.hidden) this.#confirm.hidden = true;
    this.#form.element.hidden = state === null || (state === 'connected' && !this.#changing);
    this.#form.setMode(state === 'reconnect' ? 'reconnect' : state === 'connected' ? 'change' : 'connect');
  }
}

function fact(f: Fact): HTMLElement[] {
  return [el('dt', {}, [f.label]), el('dd', {}, [f.value])];
}
