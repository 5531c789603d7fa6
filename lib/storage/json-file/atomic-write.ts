import { copyFile, link, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const WRITE_CHUNK = 1 << 20;

/** How the new content reached the file, and the file's signature right after (to tell its own write from an edit). */
export interface WriteOutcome {
  readonly outcome: 'renamed' | 'copied' | 'aborted';
  readonly signature: string;
  /** Why the file was copied into rather than renamed over (EBUSY, EXDEV). */
  readonly code?: string;
}

/**
 * Identifies one state of a file: inode, size and modification time (ns). An
 * editor's save changes it (a new inode, or a new mtime); a rename keeps it.
 */
export async function fileSignature(path: string): Promise<string> {
  try {
    const info = await stat(path, { bigint: true });
    return `${info.ino}:${info.size}:${info.mtimeNs}`;
  } catch {
    return 'missing';
  }
}

export interface AtomicWriteOptions {
  /**
   * Called once the new content is durable in the temporary file, just before
   * it replaces the file: returning false aborts (the file changed meanwhile).
   */
  readonly beforeReplace?: () => Promise<boolean>;
}

/** What to write: text chunks, or a function writing the content into the open file (the cache file's streaming writer). */
export type AtomicContent = Iterable<string> | ((handle: FileHandle) => Promise<void>);

/** Temporary files this process is writing now (another store of this process may open the same file meanwhile). */
const inProgress = new Set<string>();

/** `<file>.tmp-<pid>`: the pid tells at start which temporary files belong to dead processes. */
export function temporaryPath(file: string, pid = process.pid): string {
  return `${file}.tmp-${pid}`;
}

/**
 * Replaces `file` with `chunks`, so that the file always holds either the old
 * or the new content: write a temporary file beside it, fsync, rename over it.
 * A file that cannot be renamed over (a single-file bind mount: EBUSY, or
 * another filesystem: EXDEV) is written in place by copying the fsynced
 * temporary file into it; the temporary file stays until the copy is durable,
 * so a start after a crash mid-copy finishes it (`finishInterruptedWrites`).
 * The temporary file never outlives a failure.
 */
export async function writeAtomically(file: string, content: AtomicContent, options: AtomicWriteOptions = {}): Promise<WriteOutcome> {
  const temporary = temporaryPath(file);
  // A second name for the old content: the rename then does not free a large file's blocks, which
  // takes tens of ms on ext4 at 50 MB, all inside the window where an edit could still be missed
  const previous = `${file}.tmp-old-${process.pid}`;
  inProgress.add(temporary).add(previous);
  try {
    await writeDurably(temporary, content);
    // Taken before the rename, which keeps inode, size and mtime: an edit landing after it still differs
    const signature = await fileSignature(temporary);
    await rm(previous, { force: true });
    const linked = await link(file, previous).then(() => true, () => false);
    if (options.beforeReplace && !(await options.beforeReplace())) {
      await rm(temporary, { force: true });
      if (linked) await rm(previous, { force: true });
      return { outcome: 'aborted', signature };
    }
    try {
      await rename(temporary, file);
      if (linked) await rm(previous, { force: true });
    } catch (error) {
      if (linked) await rm(previous, { force: true });
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EBUSY' && code !== 'EXDEV') throw error;
      await copyInPlace(temporary, file);
      const copied = await fileSignature(file);
      await rm(temporary, { force: true });
      return { outcome: 'copied', signature: copied, code };
    }
    await syncDirectory(dirname(file));
    return { outcome: 'renamed', signature };
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    await rm(previous, { force: true }).catch(() => undefined);
    throw error;
  } finally {
    inProgress.delete(temporary);
    inProgress.delete(previous);
  }
}

async function writeDurably(path: string, content: AtomicContent): Promise<void> {
  const handle = await open(path, 'w');
  try {
    if (typeof content === 'function') {
      await content(handle);
    } else {
      let buffer = '';
      for (const chunk of content) {
        buffer += chunk;
        if (buffer.length >= WRITE_CHUNK) {
          await handle.write(buffer);
          buffer = '';
        }
      }
      await handle.write(buffer);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes the content of `source` into `target` itself (same inode, so a bind mount keeps it), then fsyncs it. */
async function copyInPlace(source: string, target: string): Promise<void> {
  await copyFile(source, target);
  const handle = await open(target, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDirectory(directory: string): Promise<void> {
  // Makes the rename itself durable; some filesystems cannot fsync a directory
  const handle = await open(directory, 'r').catch(() => undefined);
  await handle?.sync().catch(() => undefined);
  await handle?.close();
}

export interface LeftoverReport {
  readonly removed: string[];
  /** A copy into the file that a crash interrupted, finished from its complete temporary file. */
  readonly finished?: string;
}

/**
 * At start: removes the temporary files of processes that are gone (and of a
 * previous life of this pid, e.g. pid 1 in a container). When the file does
 * not parse and such a temporary file does (a crash while copying into a
 * bind-mounted file), the copy is finished first.
 */
export async function finishInterruptedWrites(file: string, parses: (path: string) => Promise<boolean>): Promise<LeftoverReport> {
  const prefix = `${basename(file)}.tmp-`;
  let names: string[];
  try {
    names = (await readdir(dirname(file))).filter((name) => name.startsWith(prefix));
  } catch {
    return { removed: [] };
  }
  const removed: string[] = [];
  let finished: string | undefined;
  for (const name of names) {
    // <file>.tmp-<pid>: new content; <file>.tmp-old-<pid>: a second name of the old content
    const match = /^(old-)?(\d+)$/.exec(name.slice(prefix.length));
    if (!match) continue;
    const pid = Number(match[2]);
    if (pid !== process.pid && isAlive(pid)) continue;
    const path = join(dirname(file), name);
    if (inProgress.has(path)) continue;
    if (!match[1] && finished === undefined && !(await readsWell(file, parses)) && (await readsWell(path, parses))) {
      await copyInPlace(path, file);
      finished = path;
    }
    await rm(path, { force: true });
    removed.push(path);
  }
  return { removed, ...(finished ? { finished } : {}) };
}

async function readsWell(path: string, parses: (path: string) => Promise<boolean>): Promise<boolean> {
  // By path, not text: the file may be larger than a string can hold
  try {
    return await parses(path);
  } catch {
    return false;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
