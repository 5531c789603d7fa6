/**
 * A Map that counts its changes: what a store's `generation()` is made of, so
 * `status()` can tell that nothing it counted changed and reuse its counts
 * (counting a million entries on every health check blocked the event loop).
 */
export class ChangeCountingMap<K, V> extends Map<K, V> {
  /** Calls to set() and delete() that changed something, and clear()s. */
  changes = 0;

  override set(key: K, value: V): this {
    this.changes++;
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    const deleted = super.delete(key);
    if (deleted) this.changes++;
    return deleted;
  }

  override clear(): void {
    this.changes++;
    super.clear();
  }
}
