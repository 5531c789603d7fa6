/**
 * Long walks over every combination (a precompute run, the freshness sweep)
 * give the event loop a turn every `sliceMs`, so requests are served and
 * timers fire while a million entries are walked: `if (turns.due()) await
 * turns.take()`. Checked before awaiting: an await per item costs a promise
 * and a turn of the microtask queue, about the cost of the item itself.
 */
export class EventLoopTurns {
  private last: number;

  constructor(
    private readonly sliceMs = 20,
    private readonly clock: () => number = Date.now,
  ) {
    this.last = clock();
  }

  /** Whether the walk has held the event loop for a slice since its last turn. */
  due(): boolean {
    return this.clock() - this.last >= this.sliceMs;
  }

  /** Lets everything already waiting on the event loop (I/O, timers, setImmediate) run first. */
  async take(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.last = this.clock();
  }
}

/**
 * The items of `items` that `wanted` keeps, walked in slices of the event
 * loop's time (the freshness sweep's walk over every combination of a handler).
 */
export async function selectInTurns<T>(items: Iterable<T>, wanted: (item: T) => boolean, turns: EventLoopTurns): Promise<T[]> {
  const selected: T[] = [];
  for (const item of items) {
    if (turns.due()) await turns.take();
    if (wanted(item)) selected.push(item);
  }
  return selected;
}

/** Whether `test` holds for any item, walked the same way. */
export async function someInTurns<T>(items: Iterable<T>, test: (item: T) => boolean, turns: EventLoopTurns): Promise<boolean> {
  for (const item of items) {
    if (turns.due()) await turns.take();
    if (test(item)) return true;
  }
  return false;
}
