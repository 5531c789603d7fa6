import { describe, expect, it } from '@jest/globals';
import { EventLoopTurns, selectInTurns, someInTurns } from './event-loop-turns';

/** A clock the test moves by hand. */
function manualClock(start = 1000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

/** Turns whose clock moves `msPerCheck` on every due() check: a walk whose items each take that long. */
function itemsTaking(msPerCheck: number, sliceMs = 20): EventLoopTurns {
  let time = 0;
  return new EventLoopTurns(sliceMs, () => (time += msPerCheck));
}

describe('EventLoopTurns', () => {
  it('is due once the walk has held the loop for a whole slice since it began, not before', () => {
    const clock = manualClock();
    const turns = new EventLoopTurns(20, clock.now);
    expect(turns.due()).toBe(false);
    clock.advance(19);
    expect(turns.due()).toBe(false);
    clock.advance(1);
    expect(turns.due()).toBe(true);
  });

  it('take() lets what already waits on the event loop run first, then counts the next slice from its end', async () => {
    const clock = manualClock();
    const turns = new EventLoopTurns(20, clock.now);
    clock.advance(25);
    let ran = false;
    setImmediate(() => {
      ran = true;
      clock.advance(5);
    });
    await turns.take();
    expect(ran).toBe(true);
    expect(turns.due()).toBe(false);
    clock.advance(19);
    expect(turns.due()).toBe(false);
    clock.advance(1);
    expect(turns.due()).toBe(true);
  });

  it('uses Date.now and 20 ms slices by default', () => {
    const turns = new EventLoopTurns();
    expect(turns.due()).toBe(false);
    const started = Date.now();
    while (Date.now() - started < 20);
    expect(turns.due()).toBe(true);
  });
});

describe('selectInTurns and someInTurns', () => {
  const items = Array.from({ length: 100 }, (_, i) => i);

  it('select what the test keeps, in order, and some() stops at the first match', async () => {
    await expect(selectInTurns(items, (n) => n % 30 === 0, itemsTaking(0))).resolves.toEqual([0, 30, 60, 90]);
    const seen: number[] = [];
    await expect(someInTurns(items, (n) => (seen.push(n), n === 3), itemsTaking(0))).resolves.toBe(true);
    expect(seen).toEqual([0, 1, 2, 3]);
    await expect(someInTurns(items, () => false, itemsTaking(0))).resolves.toBe(false);
  });

  it.each([
    ['selectInTurns', (turns: EventLoopTurns) => selectInTurns(items, () => true, turns)],
    ['someInTurns', (turns: EventLoopTurns) => someInTurns(items, () => false, turns)],
  ])('%s gives the event loop a turn every slice of a long walk: timers and I/O run during it', async (_name, walk) => {
    // 100 items of 1 ms each in 20 ms slices: 4 turns or more, each one running a waiting setImmediate
    let turns = 0;
    const tick = (): void => {
      turns++;
      if (!done) setImmediate(tick);
    };
    let done = false;
    setImmediate(tick);
    await walk(itemsTaking(1));
    done = true;
    expect(turns).toBeGreaterThanOrEqual(4);
  });

  it.each([
    ['selectInTurns', (turns: EventLoopTurns) => selectInTurns(items, () => true, turns)],
    ['someInTurns', (turns: EventLoopTurns) => someInTurns(items, () => false, turns)],
  ])('%s takes no turn in a short walk: nothing else runs before it ends', async (_name, walk) => {
    let ran = false;
    setImmediate(() => (ran = true));
    await walk(itemsTaking(0));
    expect(ran).toBe(false);
  });
});
