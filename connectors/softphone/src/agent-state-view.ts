/**
 * The agent's state in the console: the selector (available / away + reason), the wrap-up countdown with its
 * "Ready" button, and the note after a missed call. Renders what the controller says (the ACD's snapshot or the
 * agent's pending choice); turns changes into intents.
 *
 * Stable test hooks: `select[data-softphone=state]` (`available|away`), `select[data-softphone=away-reason]`
 * (`break|lunch|training|meeting`, and `missed` shown but not selectable), `[data-softphone=wrap-up]` (visible
 * during wrap-up) with `[data-softphone=wrap-up-left]` and `button[data-softphone=ready]`,
 * `[data-softphone=missed-call]`.
 */
import { AWAY_REASONS, isAwayReason, type Presence } from './agent-presence.js';
import { formatWrapUpLeft, missedCall, shownPresence, type AgentStatus, type ShownPresence } from './agent-status.js';
import { el, show } from '../../../browser-kit/src/dom.js';

export interface AgentStateIntents {
  setPresence(presence: Presence): void;
  ready(): void;
}

export class AgentStateView {
  readonly element: HTMLElement;
  readonly #state: HTMLSelectElement;
  readonly #reason: HTMLSelectElement;
  readonly #wrapUp: HTMLElement;
  readonly #wrapUpLeft: HTMLElement;
  readonly #ready: HTMLButtonElement;
  readonly #missed: HTMLElement;
  #status: AgentStatus | null = null;
  #ticker: ReturnType<typeof setInterval> | undefined;

  constructor(
    intents: AgentStateIntents,
    private readonly now: () => number,
  ) {
    this.#state = el('select', { 'data-softphone': 'state' }, [
      el('option', { value: 'available' }, ['Available']),
      el('option', { value: 'away' }, ['Away']),
    ]);
    this.#reason = el('select', { 'data-softphone': 'away-reason', 'aria-label': 'Away reason', hidden: true }, [
      ...AWAY_REASONS.map((reason) => el('option', { value: reason.value }, [reason.label])),
      // Set by the ACD after a ring-no-answer; shown so the agent sees why, never chosen.
      el('option', { value: 'missed', disabled: true }, ['Missed a call']),
      el('option', { value: 'internal-call', disabled: true }, ['On an internal call']),
    ]);
    const chosen = (): Presence => this.#state.value === 'away'
      ? { state: 'away', reason: isAwayReason(this.#reason.value) ? this.#reason.value : 'break' }
      : { state: 'available' };
    this.#state.addEventListener('change', () => intents.setPresence(chosen()));
    this.#reason.addEventListener('change', () => intents.setPresence(chosen()));

    this.#wrapUpLeft = el('span', { class: 'sp-wrap-left', 'data-softphone': 'wrap-up-left' }, ['Wrap-up']);
    this.#ready = el('button', { type: 'button', class: 'sp-btn', 'data-softphone': 'ready' }, ['Ready']);
    this.#ready.addEventListener('click', () => intents.ready());
    this.#wrapUp = el('div', { class: 'sp-wrap', 'data-softphone': 'wrap-up', role: 'status', hidden: true }, [
      this.#wrapUpLeft, this.#ready,
    ]);
    this.#missed = el('p', { class: 'sp-missed', 'data-softphone': 'missed-call', role: 'alert', hidden: true },
      ['You missed a call — set yourself available when ready.']);

    this.element = el('div', { class: 'sp-agent-state' }, [
      el('div', { class: 'sp-presence' }, [el('label', {}, ['Status', this.#state]), this.#reason]),
      this.#wrapUp,
      this.#missed,
    ]);
  }

  /** The selector only; used for the agent's pending choice before the ACD confirms it. */
  showPresence(presence: ShownPresence): void {
    this.#state.value = presence.state;
    show(this.#reason, presence.state === 'away');
    if (presence.state === 'away') this.#reason.value = presence.reason;
  }

  showAgentStatus(status: AgentStatus | null): void {
    const previous = this.#status;
    this.#status = status;
    const presence = status ? shownPresence(status) : null;
    if (presence) this.showPresence(presence);
    const wrapping = status?.state === 'wrap-up';
    show(this.#wrapUp, wrapping);
    show(this.#missed, missedCall(status));
    if (wrapping) this.#startTicker();
    else this.#stopTicker();
    // Entering wrap-up, "Ready" is what the agent may want next — but only take focus nobody holds (the in-call
    // card that had it has just been hidden), never from a field the agent is typing in.
    const document = this.element.ownerDocument;
    const focusFree = !document.activeElement || document.activeElement === document.body;
    if (wrapping && previous?.state !== 'wrap-up' && focusFree) this.#ready.focus();
  }

  dispose(): void {
    this.#stopTicker();
  }

  #startTicker(): void {
    const tick = (): void => {
      const left = formatWrapUpLeft(this.#status?.wrapUpEndsAt, this.now());
      this.#wrapUpLeft.textContent = left === undefined ? 'Wrap-up' : `Wrap-up ${left}`;
    };
    tick();
    this.#ticker ??= setInterval(tick, 1000);
  }

  #stopTicker(): void {
    if (this.#ticker !== undefined) clearInterval(this.#ticker);
    this.#ticker = undefined;
  }
}
