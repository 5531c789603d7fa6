import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSignature, finishInterruptedWrites, writeAtomically } from './atomic-write';

const dir = mkdtempSync(join(tmpdir(), 'precompute-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid as number;
const others = (name: string) => readdirSync(dir).filter((entry) => entry.startsWith(`${name}.`));

describe('writeAtomically', () => {
  it('renames a fsynced temporary file over the file, leaving nothing beside it', async () => {
    const file = join(dir, 'renamed.json');
    writeFileSync(file, 'old');
    const before = statSync(file).ino;
    const written = await writeAtomically(file, ['new ', 'content']);
    expect(written.outcome).toBe('renamed');
    expect(readFileSync(file, 'utf8')).toBe('new content');
    expect(statSync(file).ino).not.toBe(before);
    expect(written.signature).toBe(await fileSignature(file));
    expect(others('renamed.json')).toEqual([]);
  });

  it('aborts when the file changed before the rename: the file is untouched and the temporary file gone', async () => {
    const file = join(dir, 'aborted.json');
    writeFileSync(file, 'old');
    const expected = await fileSignature(file);
    const written = await writeAtomically(file, ['new'], {
      beforeReplace: async () => {
        writeFileSync(file, 'an edit saved meanwhile');
        return (await fileSignature(file)) === expected;
      },
    });
    expect(written.outcome).toBe('aborted');
    expect(readFileSync(file, 'utf8')).toBe('an edit saved meanwhile');
    expect(others('aborted.json')).toEqual([]);
  });

  it('removes the temporary file when the write fails', async () => {
    const file = join(dir, 'missing-dir', 'failed.json');
    await expect(writeAtomically(file, ['x'])).rejects.toThrow(/ENOENT/);
    expect(readdirSync(dir).filter((name) => name.startsWith('failed.json'))).toEqual([]);
  });

  it('sees every kind of save in the signature: in place (new mtime) and renamed (new inode)', async () => {
    const file = join(dir, 'signature.json');
    writeFileSync(file, 'one');
    const first = await fileSignature(file);
    writeFileSync(file, 'two');
    const second = await fileSignature(file);
    expect(second).not.toBe(first);
    writeFileSync(`${file}.swp`, 'two');
    spawnSync('mv', [`${file}.swp`, file]);
    expect(await fileSignature(file)).not.toBe(second);
    expect(await fileSignature(join(dir, 'none'))).toBe('missing');
  });
});

describe('finishInterruptedWrites', () => {
  const parses = async (path: string) => {
    try {
      JSON.parse(readFileSync(path, 'utf8'));
      return true;
    } catch {
      return false;
    }
  };

  it('removes temporary files of dead processes, keeps those of live ones', async () => {
    const file = join(dir, 'leftovers.json');
    writeFileSync(file, '{}');
    const dead = deadPid();
    writeFileSync(`${file}.tmp-${dead}`, '{"partial":');
    writeFileSync(`${file}.tmp-old-${dead}`, '{}');
    writeFileSync(`${file}.tmp-${process.ppid}`, '{}');
    const report = await finishInterruptedWrites(file, parses);
    expect(report.removed.sort()).toEqual([`${file}.tmp-${dead}`, `${file}.tmp-old-${dead}`].sort());
    expect(report.finished).toBeUndefined();
    expect(others('leftovers.json')).toEqual([`leftovers.json.tmp-${process.ppid}`]);
    expect(readFileSync(file, 'utf8')).toBe('{}');
  });

  it('finishes a copy a crash cut short: the file does not parse, the complete temporary file does', async () => {
    const file = join(dir, 'interrupted.json');
    writeFileSync(file, '{"entries": {"a"');
    const temporary = `${file}.tmp-${deadPid()}`;
    writeFileSync(temporary, '{"entries": {"a": 1}}');
    const report = await finishInterruptedWrites(file, parses);
    expect(report.finished).toBe(temporary);
    expect(readFileSync(file, 'utf8')).toBe('{"entries": {"a": 1}}');
    expect(others('interrupted.json')).toEqual([]);
  });
});
