/** The candidate chooser without a DOM: records what was offered; the test picks as the agent would. */
import type { RecordRef } from '../../../softphone/src/host-adapter.js';
import type { CandidateChooser } from '../candidate-chooser.js';

export class MemoryChooser implements CandidateChooser {
  offered: readonly RecordRef[] = [];
  #pick: ((record: RecordRef) => Promise<void>) | undefined;

  show(candidates: readonly RecordRef[], pick: (record: RecordRef) => Promise<void>): void {
    this.offered = candidates;
    this.#pick = pick;
  }

  clear(): void {
    this.offered = [];
    this.#pick = undefined;
  }

  /** The agent clicks the candidate at `index`. */
  async pick(index: number): Promise<void> {
    const record = this.offered[index];
    if (!record || !this.#pick) throw new Error(`nothing to pick at ${index}`);
    await this.#pick(record);
  }
}
