/**
 * "Keep my place and call me back", inside the call controls while the visitor waits: the button, and in
 * direct mode the phone prompt it opens. Renders the call status; holds no logic.
 *
 * Test hooks: `button[data-sambung="keep-place"]`, `form[data-sambung="keep-place-form"]` with
 * `input[name="keep-place-phone"]`, `button[data-sambung="keep-place-cancel"]`.
 */
import type { CallStatus } from './call-state.js';
import { el, show } from '../../../browser-kit/src/dom.js';

export interface KeepPlaceIntents {
  keepPlace(): void;
  keepPlaceWithPhone(raw: string): void;
  cancelKeepPlace(): void;
}

const LABEL = 'Keep my place and call me back';

export class KeepPlaceView {
  readonly element: HTMLElement;
  readonly #button: HTMLButtonElement;
  readonly #form: HTMLFormElement;
  readonly #input: HTMLInputElement;
  readonly #error: HTMLElement;
  readonly #submit: HTMLButtonElement;

  constructor(intents: KeepPlaceIntents) {
    this.#button = el('button', { type: 'button', class: 'btn secondary', 'data-sambung': 'keep-place' }, [LABEL]);
    this.#button.addEventListener('click', () => intents.keepPlace());

    this.#input = el('input', { name: 'keep-place-phone', type: 'tel', inputmode: 'tel', autocomplete: 'tel',
      maxlength: '40', required: true, 'aria-describedby': 'sambung-keep-place-error', 'aria-invalid': 'false' });
    this.#error = el('span', { class: 'err', id: 'sambung-keep-place-error', 'data-sambung': 'keep-place-error' });
    this.#submit = el('button', { type: 'submit', class: 'btn' }, ['Call me back']);
    const cancel = el('button', { type: 'button', class: 'btn secondary', 'data-sambung': 'keep-place-cancel' },
      ['Keep waiting']);
    cancel.addEventListener('click', () => intents.cancelKeepPlace());
    this.#form = el('form', { class: 'sub', 'data-sambung': 'keep-place-form', novalidate: true,
      'aria-label': LABEL }, [
      el('p', { class: 'note' }, ["We'll keep your place in line and call you when it's your turn."]),
      el('label', {}, [el('span', {}, ['Your phone number']), this.#input, this.#error]),
      el('div', { class: 'row' }, [cancel, this.#submit]),
    ]);
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      intents.keepPlaceWithPhone(this.#input.value);
    });

    this.element = el('div', { class: 'keep' }, [this.#button, this.#form]);
  }

  render(status: CallStatus, previous: CallStatus): void {
    const waiting = status.state === 'waiting' && !status.agentRinging;
    const asking = status.state === 'keeping-place' && status.step === 'phone';
    const sending = status.state === 'keeping-place' && status.step === 'sending';
    show(this.element, waiting || asking || sending);
    show(this.#button, waiting || sending);
    this.#button.disabled = sending;
    this.#button.setAttribute('aria-busy', String(sending));
    this.#button.textContent = sending ? 'Saving your place…' : LABEL;
    show(this.#form, asking);

    const error = status.state === 'keeping-place' ? status.phoneError ?? '' : '';
    this.#error.textContent = error;
    this.#input.setAttribute('aria-invalid', error ? 'true' : 'false');

    const was = previous.state === 'keeping-place' ? previous.step : previous.state;
    if (asking && (was !== 'phone' || error)) this.#input.focus();
    if (status.state === 'waiting' && was === 'phone') this.#button.focus();
  }
}
