/**
 * The "several matches" chooser as a port, so the adapter decides *when* to offer a choice and the view only
 * draws it (`zaf-candidates-view.ts` in the top bar, an in-memory one in tests).
 */
import type { RecordRef } from '../../softphone/src/host-adapter.js';

export interface CandidateChooser {
  /**
   * Offers `candidates` (labels are untrusted text), replacing any earlier offer. `pick` is called at most once,
   * with the record the agent chose; it settles when Zendesk has been told.
   */
  show(candidates: readonly RecordRef[], pick: (record: RecordRef) => Promise<void>): void;
  /** Removes the offer, if any. */
  clear(): void;
}
