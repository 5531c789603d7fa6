/** The response bodies the serving benchmarks send. */

/** About 300 bytes. */
export const SMALL_BODY = {
  region: 'EMEA',
  period: '2026-Q3',
  currency: 'EUR',
  totals: { revenue: 1284500, orders: 8421, returns: 312, margin: 0.274 },
  topStores: ['101', '202', '303'],
  channels: { online: 0.41, retail: 0.52, partner: 0.07 },
  generatedAt: '2026-11-27T09:00:00.000Z',
};

/** About 200 KB: a report of 1,000 rows. */
export const LARGE_BODY = {
  region: 'EMEA',
  period: '2026-Q3',
  rows: Array.from({ length: 1000 }, (_, i) => ({
    store: `store-${String(i).padStart(4, '0')}`,
    city: ['Berlin', 'Paris', 'Madrid', 'Rome', 'Vienna'][i % 5],
    revenue: 100000 + ((i * 7919) % 90000),
    orders: 500 + ((i * 104729) % 400),
    margin: Math.round(((i * 31) % 100) * 10) / 1000,
    categories: { food: (i * 13) % 100, home: (i * 17) % 100, toys: (i * 19) % 100 },
    note: 'quarterly figures, audited',
  })),
};
