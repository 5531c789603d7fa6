import { lstat, mkdir, readFile, readlink, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { messages } from '../../precompute.messages';
import type { CacheEntry } from '../cache-entry';
import { parseCacheFile } from './cache-file-format';

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
 * Reads and parses the cache file: undefined when there is none (a missing
 * directory counts); throws `CacheFileError` when it does not parse, and a
 * message with the fix when it cannot be read.
 */
export async function readCacheFile(path: string, describe: string): Promise<Map<string, CacheEntry> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new Error(
      code === 'EISDIR'
        ? `Cache file ${describe} is a directory. Set cacheFile to a file path, e.g. '${describe.replace(/\/$/, '')}/cache.json'.`
        : `Cannot read cache file ${describe}: ${(error as Error).message}. Check the file's permissions; it was left untouched.`,
    );
  }
  return parseCacheFile(text, describe);
}
