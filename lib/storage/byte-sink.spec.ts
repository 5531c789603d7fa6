import { describe, expect, it } from '@jest/globals';
import { ByteSink } from './byte-sink';

describe('ByteSink', () => {
  it('encodes texts as UTF-8, short and long, growing past its first capacity', () => {
    const sink = new ByteSink(4);
    const long = `${'ü✓😀'.repeat(1500)}end`;
    sink.text('a');
    sink.text('ü ✓ 😀');
    sink.text(long);
    expect(sink.view().toString()).toBe(`aü ✓ 😀${long}`);
    expect(sink.used).toBe(Buffer.byteLength(`aü ✓ 😀${long}`));
    expect(sink.capacity).toBeGreaterThanOrEqual(sink.used);
  });

  it('copies byte ranges, short ones and long ones, from any offset', () => {
    const source = Buffer.from('0123456789'.repeat(10));
    const sink = new ByteSink(8);
    sink.bytes(source, 3, 7);
    sink.bytes(source, 0, 64);
    sink.bytes(source);
    sink.bytes(source, 5, 5);
    expect(sink.view().toString()).toBe(`3456${source.toString().slice(0, 64)}${source.toString()}`);
  });

  it('views from an offset, and starts over on clear() keeping its memory', () => {
    const sink = new ByteSink(16);
    sink.text('head,body');
    expect(sink.view(5).toString()).toBe('body');
    const capacity = sink.capacity;
    sink.clear();
    expect(sink.view().length).toBe(0);
    sink.text('again');
    expect(sink.view().toString()).toBe('again');
    expect(sink.capacity).toBe(capacity);
  });
});
