import { describe, expect, it } from '@jest/globals';
import { ChangeCountingMap } from './change-counting-map';

describe('ChangeCountingMap', () => {
  it('counts every set, every delete that removed something, and clears, and is a Map otherwise', () => {
    const map = new ChangeCountingMap<string, number>([['a', 1]]);
    const start = map.changes;
    map.set('b', 2);
    map.set('b', 3);
    expect(map.changes).toBe(start + 2);
    expect(map.delete('missing')).toBe(false);
    expect(map.changes).toBe(start + 2);
    expect(map.delete('a')).toBe(true);
    expect(map.changes).toBe(start + 3);
    expect([...map]).toEqual([['b', 3]]);
    map.clear();
    expect(map.changes).toBe(start + 4);
    expect(map.size).toBe(0);
  });
});
