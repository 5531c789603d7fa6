/**
 * One computation per key at a time, whoever asks for it: the startup run, a
 * refresh or a live request. A caller asking for a key under way gets the
 * promise of the computation already running instead of starting another.
 */
export class SingleFlight<T> {
  private readonly flights = new Map<string, Promise<T>>();

  /** The computation of `key` under way, if any. */
  current(key: string): Promise<T> | undefined {
    return this.flights.get(key);
  }

  /** Joins the computation of `key` under way, or starts `work` as that computation. */
  run(key: string, work: () => Promise<T>): Promise<T> {
    return this.flights.get(key) ?? this.start(key, work);
  }

  /**
   * Starts `work` as the computation of `key` once the one under way (if any)
   * has settled, for a caller that must not take an older result (a forced refresh).
   */
  async runAfter(key: string, work: () => Promise<T>): Promise<T> {
    for (let current = this.flights.get(key); current; current = this.flights.get(key)) {
      await current.catch(() => undefined);
    }
    return this.start(key, work);
  }

  /**
   * Lets a caller's own work (a live request's handler call) stand as the
   * computation of `key`; returns the function that finishes it with a result.
   */
  share(key: string): (result: T) => void {
    let finish!: (result: T) => void;
    const result = new Promise<T>((resolve) => (finish = resolve));
    this.start(key, () => result);
    return finish;
  }

  /** Resolves once every computation under way now has settled (shutdown waits for them: their results are then stored). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.flights.values()]);
  }

  private start(key: string, work: () => Promise<T>): Promise<T> {
    const flight: Promise<T> = Promise.resolve()
      .then(work)
      .finally(() => {
        // A later flight of the same key (after runAfter) is not this one's to end
        if (this.flights.get(key) === flight) this.flights.delete(key);
      });
    this.flights.set(key, flight);
    return flight;
  }
}
