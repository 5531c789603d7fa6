import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

const DEBOUNCE_MS = 50;

/**
 * Calls `onChange` (debounced) when the cache file or its journal changes on
 * disk: a person's edit, another process's results, a deletion. It watches the
 * directory: editors replace files by renaming over them, and compaction
 * removes the journal. And the cache file itself: a file bind-mounted on its
 * own (`docker run -v ./cache.json:/app/cache.json`) is written in place, and
 * its directory hears nothing of that.
 */
export class CacheFileWatcher {
  private watcher?: FSWatcher;
  private fileWatcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private stopped = false;

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
        // The cache file may be a new one (renamed over, created): its own watch follows
        if (name === null || String(name) === basename(this.files[0])) this.watchFile();
        this.changed();
      });
      // e.g. the directory was removed: edits are then read at the next start
      this.watcher.on('error', () => undefined);
    } catch (error) {
      return error as Error;
    }
    this.watchFile();
    return undefined;
  }

  stop(): void {
    this.stopped = true;
    this.watcher?.close();
    this.fileWatcher?.close();
    clearTimeout(this.timer);
  }

  private changed(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(this.onChange, DEBOUNCE_MS);
  }

  /** Watches the cache file as it is now (a missing file is watched once the directory sees it appear). */
  private watchFile(): void {
    if (this.stopped) return;
    this.fileWatcher?.close();
    this.fileWatcher = undefined;
    try {
      this.fileWatcher = watch(this.files[0], { persistent: false }, () => this.changed());
      this.fileWatcher.on('error', () => undefined);
    } catch {
      // Missing for now
    }
  }
}
