/**
 * The voicemail panel, inside the call area while the bridge records the visitor's message: the greeting (as
 * text), a recording indicator and the recording timer (`mm:ss / mm:ss` of the limit). The "Finish message"
 * button is the call view's hang-up button, relabelled.
 *
 * Test hooks: `[data-sambung="voicemail"]`, `[data-sambung="voicemail-greeting"]`,
 * `[data-sambung="voicemail-timer"]`.
 */
import type { CallStatus } from './call-state.js';
import { el, show } from '../../../browser-kit/src/dom.js';
import { describeVoicemailTimer, voicemailRemainingSec } from './voicemail.js';

export class VoicemailView {
  readonly element: HTMLElement;
  readonly #greeting: HTMLElement;
  readonly #timer: HTMLElement;
  #handle: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly now: () => number) {
    this.#greeting = el('p', { class: 'message', 'data-sambung': 'voicemail-greeting' });
    this.#timer = el('span', { class: 'vm-timer', role: 'timer', 'data-sambung': 'voicemail-timer' }, ['00:00']);
    this.element = el('section', { class: 'voicemail', 'data-sambung': 'voicemail', hidden: true,
      'aria-label': 'Voicemail' }, [
      this.#greeting,
      el('p', { class: 'rec' }, [el('span', { class: 'rec-dot', 'aria-hidden': 'true' }), 'Recording', this.#timer]),
    ]);
  }

  render(status: CallStatus, previous: CallStatus): void {
    const recording = status.state === 'voicemail';
    show(this.element, recording);
    if (!recording) {
      this.stop();
      return;
    }
    if (previous.state === 'voicemail' && previous.voicemail === status.voicemail && previous.since === status.since) return;
    this.#greeting.textContent = status.voicemail.greeting;
    this.stop();
    const { since } = status;
    const { maxSeconds } = status.voicemail;
    const tick = (): void => {
      const elapsed = this.now() - since;
      this.#timer.textContent = describeVoicemailTimer(elapsed, maxSeconds);
      if (maxSeconds === undefined) this.#timer.removeAttribute('aria-label');
      else this.#timer.setAttribute('aria-label', `${voicemailRemainingSec(elapsed, maxSeconds)} seconds left`);
    };
    tick();
    this.#handle = setInterval(tick, 1000);
  }

  stop(): void {
    if (this.#handle !== undefined) clearInterval(this.#handle);
    this.#handle = undefined;
  }
}
