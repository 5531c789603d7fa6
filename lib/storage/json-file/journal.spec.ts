import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEntry, entryOf } from '../cache-entry';
import { Journal, type JournalRecord } from './journal';

const dir = mkdtempSync(join(tmpdir(), 'precompute-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const put = (key: string, n: number): JournalRecord => ({ op: 'put', entry: createEntry(key, { n }, undefined, 1000 + n) });
const keys = (journal: Journal) => journal.read().records.map((record) => (record.op === 'put' ? record.entry.key : record.key));

describe('Journal (a descriptor kept open between appends)', () => {
  it('appends batch after batch and reads them back in order', () => {
    const journal = new Journal(join(dir, 'a.journal'));
    for (let i = 0; i < 50; i++) journal.append([put(`GET /a?i=${i}`, i)]);
    expect(keys(journal)).toEqual(Array.from({ length: 50 }, (_, i) => `GET /a?i=${i}`));
    expect(journal.hasUnread()).toBe(false);
    journal.close();
  });

  it('appends a batch larger than the memory it keeps, then small ones, each line whole', () => {
    const journal = new Journal(join(dir, 'large.journal'));
    const large = createEntry('GET /large', { rows: 'ü'.repeat(3 << 20) }, undefined, 1000);
    journal.append([put('GET /before', 1), { op: 'put', entry: large }, put('GET /after', 2)]);
    journal.append([put('GET /small', 3)]);
    const entries = new Journal(join(dir, 'large.journal')).read().records.map((record) => (record.op === 'put' ? record.entry : undefined));
    // The large body compared as bytes (jest compares a Buffer element by element)
    expect(Buffer.compare(entries[1]?.body as Buffer, large.body as Buffer)).toBe(0);
    expect(entries.map((entry) => entry && { ...entry, body: entry === entries[1] ? 'large' : entry.body })).toEqual([
      createEntry('GET /before', { n: 1 }, undefined, 1001),
      { ...large, body: 'large' },
      createEntry('GET /after', { n: 2 }, undefined, 1002),
      createEntry('GET /small', { n: 3 }, undefined, 1003),
    ]);
    journal.close();
  });

  it('reads back every field of a record: version, status, kind, file headers, force, and deletes', () => {
    const journal = new Journal(join(dir, 'fields.journal'));
    const records: JournalRecord[] = [
      { op: 'put', entry: createEntry('GET /versioned', { n: 1 }, 'v"2', 5000), force: true },
      { op: 'put', entry: entryOf('GET /missing', { kind: 'json', body: '{"statusCode":404}', status: 404 }, undefined, 6000) },
      { op: 'put', entry: entryOf('GET /pdf', { kind: 'file', body: Buffer.from([0x25, 0xff]), file: { type: 'application/pdf', disposition: 'attachment', length: 2 } }, 'v1', 7000) },
      { op: 'delete', key: 'GET /gone', at: 8000 },
    ];
    journal.append(records);
    expect(new Journal(join(dir, 'fields.journal')).read().records).toEqual([{ ...records[0] }, { ...records[1], force: false }, { ...records[2], force: false }, records[3]]);
    journal.close();
  });

  it('appends to the journal at the path once another process removed or moved the one it had open', () => {
    const path = join(dir, 'b.journal');
    const journal = new Journal(path);
    journal.append([put('GET /first', 1)]);
    // Another process compacted: the journal is gone; a record written to the old descriptor would be lost
    rmSync(path);
    journal.append([put('GET /second', 2)]);
    expect(keys(new Journal(path))).toEqual(['GET /second']);
    renameSync(path, `${path}.corrupt-1`);
    journal.append([put('GET /third', 3)]);
    expect(keys(new Journal(path))).toEqual(['GET /third']);
    expect(readFileSync(`${path}.corrupt-1`, 'utf8')).not.toContain('third');
    journal.close();
  });

  it("sees another process's appends as unread, and keeps its own after them", () => {
    const path = join(dir, 'c.journal');
    const mine = new Journal(path);
    const other = new Journal(path);
    mine.append([put('GET /1', 1)]);
    expect(mine.hasUnread()).toBe(false);
    other.append([put('GET /2', 2)]);
    expect(mine.hasUnread()).toBe(true);
    mine.append([put('GET /3', 3)]);
    expect(mine.hasUnread()).toBe(true);
    expect(keys(mine)).toEqual(['GET /1', 'GET /2', 'GET /3']);
    expect(mine.hasUnread()).toBe(false);
    mine.clear();
    expect(existsSync(path)).toBe(false);
    mine.append([put('GET /4', 4)]);
    expect(keys(other)).toEqual(['GET /4']);
    mine.close();
    other.close();
  });
});
