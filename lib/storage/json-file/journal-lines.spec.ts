import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJournalLines } from './journal-lines';

const dir = mkdtempSync(join(tmpdir(), 'precompute-journal-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function linesOf(text: string): { lines: string[]; bytes: number; tail: string } {
  const path = join(dir, 'journal');
  writeFileSync(path, text);
  const lines: string[] = [];
  const { bytes, tail } = readJournalLines(path, (line) => lines.push(line));
  return { lines, bytes, tail };
}

describe('readJournalLines', () => {
  it('returns every line of a file larger than its buffer, multi-byte characters and all, and the unterminated tail', () => {
    // ~12 MiB: lines cross every 4 MiB boundary, one line alone is longer than the buffer
    const lines = Array.from({ length: 20_000 }, (_, i) => `{"i":${i},"v":"${'é'.repeat(i % 300)}"}`);
    lines.splice(10_000, 0, `{"long":"${'x'.repeat(5 << 20)}"}`);
    const text = `${lines.join('\n')}\n{"torn":`;
    const read = linesOf(text);
    expect(read.lines).toEqual(lines);
    expect(read.tail).toBe('{"torn":');
    expect(read.bytes).toBe(Buffer.byteLength(text));
  });

  it('reads an empty file and a complete one with no tail', () => {
    expect(linesOf('')).toEqual({ lines: [], bytes: 0, tail: '' });
    expect(linesOf('a\n\nb\n')).toEqual({ lines: ['a', '', 'b'], bytes: 5, tail: '' });
  });
});

describe('readJournalLines, file descriptors', () => {
  it('closes the file after reading it (a replay at every reload must not leak a descriptor)', () => {
    linesOf('a\n');
    const open = readdirSync('/proc/self/fd').length;
    for (let i = 0; i < 20; i++) linesOf('a\nb');
    expect(readdirSync('/proc/self/fd').length).toBe(open);
  });
});
