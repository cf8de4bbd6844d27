/**
 * Orders overlapping reads of one resource: each read is numbered when it starts, and its answer may be drawn only
 * if no later-started read has been drawn already. A poll sent before a connect but answered after it can then
 * never paint the old state ("not connected") over the new one.
 */
export class LatestRead {
  #started = 0;
  #drawn = 0;

  /** Starts a read; call the returned function when its answer is in: true if it may be drawn (and it is now the latest). */
  begin(): () => boolean {
    const read = ++this.#started;
    return () => {
      if (read < this.#drawn) return false;
      this.#drawn = read;
      return true;
    };
  }
}
