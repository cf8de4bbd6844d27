/**
 * A ringtone synthesised with WebAudio (no asset to host or cache): the 400 + 450 Hz double ring of
 * ITU-T E.180 (0.4 s on, 0.2 s off, 0.4 s on, 2 s off).
 *
 * Browsers only let an AudioContext make sound after a user gesture, so {@link unlock} is called from the
 * sign-in click; a later call then rings even if the agent has not touched the page since.
 */
export class Ringtone {
  #context: AudioContext | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #gain: GainNode | undefined;

  unlock(): void {
    try {
      this.#context ??= new AudioContext();
      void this.#context.resume();
    } catch {
      // No WebAudio: the incoming card still shows and the CRM host is asked to show the panel.
    }
  }

  get playing(): boolean {
    return this.#timer !== undefined;
  }

  start(): void {
    if (this.playing) return;
    this.unlock();
    const context = this.#context;
    if (!context) return;
    this.#gain = context.createGain();
    this.#gain.gain.value = 0.12;
    this.#gain.connect(context.destination);
    this.#burst();
    this.#timer = setInterval(() => this.#burst(), 3000);
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#gain?.disconnect();
    this.#gain = undefined;
  }

  #burst(): void {
    const context = this.#context;
    const gain = this.#gain;
    if (!context || !gain) return;
    const t = context.currentTime;
    for (const [start, end] of [[0, 0.4], [0.6, 1.0]] as const) {
      for (const frequency of [400, 450]) {
        const oscillator = context.createOscillator();
        oscillator.frequency.value = frequency;
        oscillator.connect(gain);
        oscillator.start(t + start);
        oscillator.stop(t + end);
      }
    }
  }
}
