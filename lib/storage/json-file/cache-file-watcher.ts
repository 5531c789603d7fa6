import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

const DEBOUNCE_MS = 50;

/**
 * Calls `onChange` (debounced) when the cache file or its journal changes on
 * disk: a person's edit, another process's results, a deletion. It watches the
 * directory, not the files: editors replace files by renaming over them, and
 * compaction removes the journal.
 */
export class CacheFileWatcher {
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly files: readonly string[],
    private readonly onChange: () => void,
  ) {}

  /** Starts watching; returns the error when the directory cannot be watched. */
  start(): Error | undefined {
    const names = new Set(this.files.map((file) => basename(file)));
    try {
      this.watcher = watch(dirname(this.files[0]), { persistent: false }, (_event, name) => {
        if (name !== null && !names.has(String(name))) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(this.onChange, DEBOUNCE_MS);
      });
      // e.g. the directory was removed: edits are then read at the next start
      this.watcher.on('error', () => undefined);
      return undefined;
    } catch (error) {
      return error as Error;
    }
  }

  stop(): void {
    this.watcher?.close();
    clearTimeout(this.timer);
  }
}
