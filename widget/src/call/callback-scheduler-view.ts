/**
 * The callback scheduler's DOM: slots grouped by the visitor's local day, a phone field when no number is known,
 * the booking confirmation. Renders {@link SchedulerStateMachine}; every time and notice is inserted as text.
 *
 * Test hooks: `[data-sambung="callback-slots"]` containing `button[data-slot="<ISO>"]`,
 * `input[name="callback-phone"]`, `[data-sambung="callback-notice"]`, `button[data-sambung="callback-retry"]`,
 * `[data-sambung="callback-confirmed"]`.
 */
import type { SchedulerStateMachine, SchedulerStatus } from './callback-scheduler-state.js';
import { formatCallbackTime, groupSlotsByDay, slotInstant, zoneName, type DisplayZone } from './callback-slots.js';
import { el, show } from '../../../browser-kit/src/dom.js';

export interface SchedulerIntents {
  pickSlot(at: string, phoneInput: string): void;
  retrySlots(): void;
}

export class CallbackSchedulerView {
  readonly element: HTMLElement;
  readonly #loading: HTMLElement;
  readonly #notice: HTMLElement;
  readonly #phoneField: HTMLElement;
  readonly #phone: HTMLInputElement;
  readonly #phoneError: HTMLElement;
  readonly #slots: HTMLElement;
  readonly #zoneNote: HTMLElement;
  readonly #unavailable: HTMLElement;
  readonly #failed: HTMLElement;
  readonly #failedText: HTMLElement;
  readonly #confirmed: HTMLElement;
  /** The slot list drawn last, so a status change that keeps the list does not rebuild (and lose focus). */
  #drawn: readonly string[] | undefined;
  readonly #lead: HTMLElement;

  constructor(
    private readonly machine: SchedulerStateMachine,
    private readonly intents: SchedulerIntents,
    private readonly zone: DisplayZone,
  ) {
    this.#lead = el('p', {});
    this.#loading = el('p', { class: 'note', role: 'status' }, ['Loading available times…']);
    this.#notice = el('p', { class: 'notice', role: 'alert', 'data-sambung': 'callback-notice' });
    this.#phone = el('input', { name: 'callback-phone', type: 'tel', inputmode: 'tel', autocomplete: 'tel',
      maxlength: '40', required: true, 'aria-describedby': 'sambung-callback-phone-error', 'aria-invalid': 'false' });
    this.#phoneError = el('span', { class: 'err', id: 'sambung-callback-phone-error' });
    this.#phoneField = el('label', {}, [el('span', {}, ['Your phone number']), this.#phone, this.#phoneError]);
    this.#zoneNote = el('p', { class: 'note' });
    this.#slots = el('div', { class: 'slots', 'data-sambung': 'callback-slots', role: 'group',
      'aria-label': 'Available times' });
    this.#slots.addEventListener('click', (event) => {
      const button = (event.target as Element | null)?.closest?.('button[data-slot]');
      const at = button?.getAttribute('data-slot');
      if (at) this.intents.pickSlot(at, this.#phone.value);
    });
    this.#unavailable = el('p', {}, ['No callback times are available right now. Please try again later.']);
    const retry = el('button', { type: 'button', class: 'btn secondary', 'data-sambung': 'callback-retry' }, ['Try again']);
    retry.addEventListener('click', () => this.intents.retrySlots());
    this.#failedText = el('p', { role: 'alert' });
    this.#failed = el('div', { class: 'sub' }, [this.#failedText, retry]);
    this.#confirmed = el('p', { class: 'confirmed', 'data-sambung': 'callback-confirmed', tabindex: '-1' });

    this.element = el('div', { class: 'scheduler', 'data-sambung': 'callback' }, [
      this.#lead, this.#loading, this.#notice, this.#phoneField, this.#zoneNote, this.#slots, this.#unavailable, this.#failed,
      this.#confirmed,
    ]);
    machine.onChange((status, previous) => this.#render(status, previous));
    this.#render(machine.status, machine.status);
  }

  /** What the list is introduced with, and what is said when there is no slot (a callback vs a voicemail offer). */
  setWording(wording: { readonly lead: string; readonly unavailable: string }): void {
    this.#lead.textContent = wording.lead;
    this.#unavailable.textContent = wording.unavailable;
    this.#render(this.machine.status, this.machine.status);
  }

  #render(status: SchedulerStatus, previous: SchedulerStatus): void {
    const listing = status.state === 'choosing' || status.state === 'booking';
    show(this.element, status.state !== 'closed');
    show(this.#lead, listing && this.#lead.textContent !== '');
    show(this.#loading, status.state === 'loading');
    const notice = status.state === 'loading' || status.state === 'choosing' ? status.notice ?? '' : '';
    this.#notice.textContent = notice;
    show(this.#notice, notice !== '');
    show(this.#phoneField, listing && status.needsPhone);
    const phoneError = status.state === 'choosing' ? status.phoneError ?? '' : '';
    this.#phoneError.textContent = phoneError;
    this.#phone.setAttribute('aria-invalid', phoneError ? 'true' : 'false');
    show(this.#slots, listing);
    show(this.#zoneNote, listing);
    if (listing) this.#drawSlots(status.slots, status.state === 'booking' ? status.at : undefined);
    else this.#drawn = undefined;
    show(this.#unavailable, status.state === 'unavailable');
    this.#failedText.textContent = status.state === 'failed' ? status.message : '';
    show(this.#failed, status.state === 'failed');
    show(this.#confirmed, status.state === 'confirmed');
    if (status.state === 'confirmed') {
      const { day, time } = formatCallbackTime(status.at, this.zone);
      this.#confirmed.textContent = `We'll call you on ${status.phone} at ${time}${day ? `, ${day}` : ''}.`;
    }
    this.#focus(status, previous);
  }

  #drawSlots(slots: readonly string[], booking: string | undefined): void {
    if (this.#drawn !== slots) {
      this.#drawn = slots;
      const days = groupSlotsByDay(slots, this.zone);
      this.#slots.replaceChildren(...days.map((day) => {
        const headingId = `sambung-day-${day.date}`;
        return el('div', { class: 'day', role: 'group', 'aria-labelledby': headingId }, [
          el('h4', { id: headingId }, [day.label]),
          el('div', { class: 'times' }, day.slots.map((slot) =>
            el('button', { type: 'button', 'data-slot': slot.at, 'aria-label': `${slot.time}, ${day.label}` }, [slot.time]))),
        ]);
      }));
      const first = slots[0] === undefined ? Number.NaN : slotInstant(slots[0]);
      const zone = Number.isFinite(first) ? zoneName(this.zone, first) : '';
      this.#zoneNote.textContent = zone ? `Times are in your time zone (${zone}).` : 'Times are in your time zone.';
    }
    for (const button of this.#slots.querySelectorAll<HTMLButtonElement>('button[data-slot]')) {
      const picked = button.getAttribute('data-slot') === booking;
      button.disabled = booking !== undefined;
      button.setAttribute('aria-busy', String(picked));
    }
  }

  #focus(status: SchedulerStatus, previous: SchedulerStatus): void {
    if (status.state === 'confirmed' && previous.state !== 'confirmed') this.#confirmed.focus();
    else if (status.state === 'choosing' && status.phoneError) this.#phone.focus();
    else if (status.state === 'choosing' && previous.state === 'loading') {
      // First list: a missing phone comes first. A reloaded list (the slot went): the first slot.
      if (status.needsPhone && !previous.notice) this.#phone.focus();
      else if (previous.notice) this.#slots.querySelector<HTMLButtonElement>('button[data-slot]')?.focus();
    } else if (status.state === 'choosing' && previous.state === 'booking' && status.notice) {
      this.#slots.querySelector<HTMLButtonElement>(`button[data-slot="${CSS.escape(previous.at)}"]`)?.focus();
    }
  }
}
