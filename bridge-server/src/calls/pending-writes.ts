/** Store writes in flight, remembered until they settle so a caller can wait for all of them (tests, shutdown). */
export class PendingWrites {
  readonly #writes = new Set<Promise<unknown>>();

  track<T>(write: Promise<T>): Promise<T> {
    this.#writes.add(write);
    void write.finally(() => this.#writes.delete(write));
    return write;
  }

  /** Resolves once every write tracked so far, and every write those started, has settled. */
  async flush(): Promise<void> {
    while (this.#writes.size > 0) await Promise.all([...this.#writes]);
  }
}
