/**
 * Books a callback: loads the slots, asks for a phone number when none is known (direct mode), books the slot
 * picked, and reloads the list when the bridge says the slot is gone. Drives {@link SchedulerStateMachine}.
 * I/O comes in through {@link SchedulerBackend}, which the call controller binds to the visitor's token.
 */
import type { SchedulerStateMachine, SchedulerStatus } from './callback-scheduler-state.js';
import { slotInstant } from './callback-slots.js';
import { cleanText } from './clean-text.js';
import { validatePhone } from './validate.js';
import type { BookedCallback, CallbackRequest, CallbackSlots } from './visitor-api.js';
import { WidgetError, describeWidgetError } from './widget-errors.js';

export interface SchedulerBackend {
  slots(): Promise<CallbackSlots>;
  book(request: CallbackRequest): Promise<BookedCallback>;
}

const SLOT_GONE = 'That time can no longer be booked. Please pick another.';
const NOTICE_MAX = 200;

export class CallbackScheduler {
  #backend: SchedulerBackend | undefined;
  /** The number the bridge already has (from the form), or `undefined` when the scheduler must ask. */
  #knownPhone: string | undefined;
  /** Incremented on open/close, so answers for an earlier opening are ignored. */
  #generation = 0;

  constructor(readonly machine: SchedulerStateMachine) {}

  /** Starts over with a new backend: loads the slots. */
  open(backend: SchedulerBackend, knownPhone: string | undefined): void {
    this.close();
    this.#backend = backend;
    this.#knownPhone = knownPhone || undefined;
    void this.#load(++this.#generation);
  }

  close(): void {
    this.#generation++;
    this.#backend = undefined;
    if (this.machine.state !== 'closed') this.machine.transition({ state: 'closed' });
  }

  retry(): void {
    if (this.machine.state === 'failed') void this.#load(++this.#generation);
  }

  /** The visitor picked `at`; `phoneInput` is what they typed in the phone field (ignored when one is known). */
  async pick(at: string, phoneInput = ''): Promise<void> {
    const status = this.machine.status;
    const backend = this.#backend;
    if (status.state !== 'choosing' || !backend || !status.slots.includes(at)) return;
    let phone = this.#knownPhone;
    if (phone === undefined) {
      const checked = validatePhone(phoneInput);
      if ('error' in checked) {
        this.machine.transition({ state: 'choosing', slots: status.slots, needsPhone: true, phoneError: checked.error });
        return;
      }
      phone = checked.value;
    }
    const generation = this.#generation;
    this.machine.transition({ state: 'booking', slots: status.slots, needsPhone: status.needsPhone, at });
    let booked: BookedCallback;
    try {
      booked = await backend.book(status.needsPhone ? { at, phone } : { at });
    } catch (error) {
      if (generation === this.#generation) this.#bookingFailed(error, status);
      return;
    }
    if (generation !== this.#generation) return;
    // The bridge may normalise the instant's spelling; show its answer when it is one.
    const confirmedAt = Number.isFinite(slotInstant(booked.at)) ? booked.at : at;
    this.machine.transition({ state: 'confirmed', at: confirmedAt, phone });
  }

  async #load(generation: number, notice?: string): Promise<void> {
    const backend = this.#backend;
    if (!backend) return;
    this.machine.transition(notice ? { state: 'loading', notice } : { state: 'loading' });
    let slots: readonly string[];
    try {
      ({ slots } = await backend.slots());
    } catch (error) {
      if (generation === this.#generation) this.machine.transition({ state: 'failed', message: describeWidgetError(error) });
      return;
    }
    if (generation !== this.#generation) return;
    if (slots.length === 0) {
      this.machine.transition({ state: 'unavailable' });
      return;
    }
    const needsPhone = this.#knownPhone === undefined;
    this.machine.transition(notice ? { state: 'choosing', slots, needsPhone, notice } : { state: 'choosing', slots, needsPhone });
  }

  #bookingFailed(error: unknown, choosing: Extract<SchedulerStatus, { state: 'choosing' }>): void {
    const { slots, needsPhone } = choosing;
    if (error instanceof WidgetError && error.code === 'WIDGET_ERR_REQUEST_REJECTED' && error.status === 400) {
      const phoneProblem = error.fieldErrors?.['phone']?.[0];
      if (needsPhone && phoneProblem) {
        this.machine.transition({ state: 'choosing', slots, needsPhone, phoneError: serverText(phoneProblem) || 'Please check your phone number.' });
        return;
      }
      // The slot went (taken, or now outside the hours): say so, with the bridge's reason, and offer a fresh list.
      const detail = cleanText(error.fieldErrors?.['at']?.[0] ?? '', NOTICE_MAX);
      const notice = detail ? `That time can no longer be booked (${detail}). Please pick another.`
        : serverText(error.message) || SLOT_GONE;
      void this.#load(++this.#generation, notice);
      return;
    }
    this.machine.transition({ state: 'choosing', slots, needsPhone, notice: describeWidgetError(error) });
  }
}

/** Text from the bridge, cleaned for display as text; first letter capitalised (zod messages are lower-case). */
function serverText(raw: string): string {
  const text = cleanText(raw, NOTICE_MAX);
  return text.charAt(0).toUpperCase() + text.slice(1);
}
