/**
 * The end screen when the queue would not hold the call: what we offer instead, by type — the configured
 * message, a `mailto:` link, a `tel:` link, the callback scheduler, or (voicemail, not built yet) the scheduler
 * when slots exist. Everything from the bridge goes in as text; links are built only from validated values.
 *
 * Test hooks: `[data-sambung="deflection"][data-type="message|email|phone|callback|voicemail"]`,
 * `[data-sambung="deflection-link"]`, and the scheduler's (see `callback-scheduler-view.ts`).
 */
import type { CallStatus } from './call-state.js';
import type { CallbackSchedulerView } from './callback-scheduler-view.js';
import { mailtoHref, telHref, type Deflection } from './deflection.js';
import { describeDeflectionOffer } from './deflection-wording.js';
import { el, show } from '../../../browser-kit/src/dom.js';

export class DeflectionView {
  readonly element: HTMLElement;
  readonly #heading: HTMLElement;
  readonly #body: HTMLElement;

  constructor(private readonly scheduler: CallbackSchedulerView) {
    this.#heading = el('h3', { class: 'offer', tabindex: '-1' });
    this.#body = el('div', {});
    this.element = el('section', { class: 'deflection', 'data-sambung': 'deflection', hidden: true,
      'aria-label': 'Other ways to reach us' }, [this.#heading, this.#body, scheduler.element]);
  }

  render(status: CallStatus, previous: CallStatus): void {
    show(this.element, status.state === 'deflected');
    if (status.state !== 'deflected') {
      this.element.removeAttribute('data-type');
      return;
    }
    if (previous.state !== 'deflected' || previous.deflection !== status.deflection) this.#draw(status.deflection);
  }

  /** The deflection's first focus target: its heading, so a screen reader reads the offer first. */
  focus(): void {
    this.#heading.focus();
  }

  #draw(deflection: Deflection): void {
    this.element.setAttribute('data-type', deflection.type);
    this.#heading.textContent = describeDeflectionOffer(deflection);
    this.#body.replaceChildren(...this.#content(deflection));
    this.#body.hidden = this.#body.childElementCount === 0;
    this.scheduler.setWording(deflection.type === 'voicemail'
      ? { lead: 'You can book a callback instead:', unavailable: 'Please try again later.' }
      : { lead: '', unavailable: 'No callback times are available right now. Please try again later.' });
  }

  #content(deflection: Deflection): HTMLElement[] {
    switch (deflection.type) {
      case 'message':
        return [el('p', { class: 'message', 'data-sambung': 'deflection-text' }, [deflection.text])];
      case 'email': {
        const href = mailtoHref(deflection.address);
        return href ? [link(href, deflection.address)] : [];
      }
      case 'phone': {
        const href = telHref(deflection.number);
        return href ? [link(href, deflection.number)] : [];
      }
      case 'callback':
      case 'voicemail':
        return []; // the scheduler below
    }
  }
}

function link(href: string, text: string): HTMLElement {
  return el('p', {}, [el('a', { class: 'link', href, 'data-sambung': 'deflection-link' }, [text])]);
}
