import { lstat, mkdir, readlink, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { messages } from '../../precompute.messages';
import { CacheFileError } from './cache-file-format';
import { readCacheFile as readStreaming, readChangedEntries, type CacheFileIndex, type CacheFileRead } from './cache-file-reader';

/**
 * The file the store really writes: a symlinked cache file (pointing into a
 * volume) is followed to its target, so results are written there, the
 * journal and lock sit beside it, and edits are watched there. A dangling link
 * is followed too: its target is created.
 */
export async function resolveCacheFile(configured: string): Promise<string> {
  let path = resolve(configured);
  for (let hops = 0; hops < 40; hops++) {
    let isLink: boolean;
    try {
      isLink = (await lstat(path)).isSymbolicLink();
    } catch {
      return path;
    }
    if (!isLink) return path;
    path = resolve(dirname(path), await readlink(path));
  }
  return path;
}

/**
 * Creates the file's directory. A path through an existing file can never
 * work, so it fails at startup with the fix; other failures (permissions, a
 * read-only disk) may pass, so they are left to the first write to report.
 */
export async function prepareDirectory(path: string, describe: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTDIR' && code !== 'EEXIST') return;
    const blocker = await firstFileAncestor(dirname(path));
    if (blocker) throw new Error(messages.cacheFileBlocked(describe, blocker));
  }
}

async function firstFileAncestor(directory: string): Promise<string | undefined> {
  const parent = dirname(directory);
  if (parent !== directory) {
    const above = await firstFileAncestor(parent);
    if (above) return above;
  }
  try {
    return (await stat(directory)).isDirectory() ? undefined : directory;
  } catch {
    return undefined;
  }
}

/**
 * Reads the cache file streaming (no ceiling on its size): undefined when
 * there is none (a missing directory counts); throws `CacheFileError` when it
 * does not parse, and a message with the fix when it cannot be read. With
 * `previous` (the index of the file as this process last read or wrote it),
 * only the entries whose bytes changed are parsed (see `readChangedEntries`).
 */
export async function readCacheFile(
  path: string,
  describe: string,
  options: { previous?: CacheFileIndex; index: boolean },
): Promise<CacheFileRead | undefined> {
  try {
    return options.previous
      ? await readChangedEntries(path, describe, options.previous)
      : await readStreaming(path, describe, { index: options.index });
  } catch (error) {
    if (error instanceof CacheFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new Error(
      code === 'EISDIR'
        ? `Cache file ${describe} is a directory. Set cacheFile to a file path, e.g. '${describe.replace(/\/$/, '')}/cache.json'.`
        : `Cannot read cache file ${describe}: ${(error as Error).message}. ` +
            // Only a refused access is about permissions (a size or I/O error is not)
            (code === 'EACCES' || code === 'EPERM' ? "Check the file's permissions; it was left untouched." : 'It was left untouched.'),
    );
  }
}
