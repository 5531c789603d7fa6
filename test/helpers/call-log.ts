/** Counts real handler calls in an in-process test app. */
export class CallLog {
  private readonly calls: string[] = [];
  private active = 0;
  /** The most handlers that ran at the same time. */
  peak = 0;

  record(name: string): void {
    this.calls.push(name);
  }

  /** Wraps one handler call, tracking how many run at the same time. */
  async track<T>(name: string, work: () => Promise<T>): Promise<T> {
    this.record(name);
    this.active++;
    this.peak = Math.max(this.peak, this.active);
    try {
      return await work();
    } finally {
      this.active--;
    }
  }

  count(name?: string): number {
    return name === undefined ? this.calls.length : this.calls.filter((call) => call === name).length;
  }

  all(): readonly string[] {
    return this.calls;
  }

  reset(): void {
    this.calls.length = 0;
    this.peak = 0;
    this.active = 0;
  }
}
