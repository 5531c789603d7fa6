import { Injectable, NotFoundException } from '@nestjs/common';
import { Subregion } from '../sales/sales-report.query';

export interface Store {
  readonly id: string;
  readonly subregion: Subregion;
  readonly revenue: number;
}

/**
 * Stands in for the stores table: the list changes while the app runs
 * (stores open and close), so the domains of the handlers that read it are
 * functions, not enums.
 */
@Injectable()
export class StoresService {
  private readonly stores = new Map<string, Store>(
    [
      { id: 'berlin', subregion: Subregion.EMEA, revenue: 120_000 },
      { id: 'lyon', subregion: Subregion.EMEA, revenue: 80_000 },
      { id: 'osaka', subregion: Subregion.APAC, revenue: 95_000 },
      { id: 'austin', subregion: Subregion.AMER, revenue: 70_000 },
    ].map((store) => [store.id, store]),
  );

  async ids(): Promise<string[]> {
    return [...this.stores.keys()];
  }

  /** Each store with its own subregion: the pairs that exist (generateStaticParams shape). */
  async pairs(): Promise<Array<{ subregion: Subregion; store_id: string }>> {
    return [...this.stores.values()].map((store) => ({ subregion: store.subregion, store_id: store.id }));
  }

  get(id: string): Store {
    const store = this.stores.get(id);
    if (!store) throw new NotFoundException(`There is no store "${id}"`);
    return store;
  }

  /** A store opens, or its figures change (what a CMS or a back office would do). */
  save(store: Store): void {
    this.stores.set(store.id, store);
  }

  close(id: string): void {
    this.stores.delete(id);
  }
}
