/**
 * What the watcher costs after a one-entry edit of a large file: a full
 * streaming read, against `readChangedEntries` with the index of the read
 * before. The edit changes one character of one entry in the middle of the file.
 */
import { closeSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { readCacheFile, readChangedEntries } from '../lib/storage/json-file/cache-file-reader';

function editOneEntry(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    const window = Buffer.alloc(1 << 20);
    const start = Math.floor(statSync(file).size / 2);
    const read = readSync(fd, window, 0, window.length, start);
    const marker = window.subarray(0, read).indexOf('"hash": "sha256-');
    if (marker === -1) throw new Error(`no entry hash within 1 MiB of offset ${start}`);
    const at = marker + '"hash": "sha256-'.length;
    // One base64url character for another: the file stays valid, the entry's bytes change
    writeSync(fd, Buffer.from(window[at] === 0x41 ? 'B' : 'A'), 0, 1, start + at);
  } finally {
    closeSync(fd);
  }
}

async function main(): Promise<void> {
  const file = process.argv[2];
  // CPU time as well as wall time: on a shared machine the wall time of one step says little
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  let started = performance.now();
  let startedCpu = cpuMs();
  const full = await readCacheFile(file, file);
  const fullMs = performance.now() - started;
  const fullCpuMs = cpuMs() - startedCpu;
  editOneEntry(file);
  started = performance.now();
  startedCpu = cpuMs();
  const changes = await readChangedEntries(file, file, full.index);
  const changedMs = performance.now() - started;
  const changedCpuMs = cpuMs() - startedCpu;
  const result = {
    fullMs: Math.round(fullMs),
    changedMs: Math.round(changedMs),
    fullCpuMs: Math.round(fullCpuMs),
    changedCpuMs: Math.round(changedCpuMs),
    changed: changes.entries.size + changes.removed.length, entries: full.entries.size };
  if (result.changed !== 1) throw new Error(`expected one changed entry, found ${result.changed}`);
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
