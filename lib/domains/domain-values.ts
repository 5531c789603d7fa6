/**
 * The raw form of a parameter value: the string a URL carries, which is what an
 * interceptor sees before pipes run. `undefined` stands for "absent".
 */
export type RawValue = string | undefined;

/** One query key or route param and every raw value it may take. */
export interface ParameterSpec {
  readonly name: string;
  readonly source: 'query' | 'path';
  /** Deduplicated, in declaration order. */
  readonly values: readonly RawValue[];
  /** Where the domain came from, for messages (e.g. `@IsEnum on SalesQuery.region`). */
  readonly origin: string;
}

export function toRawValue(value: unknown): RawValue {
  if (value === undefined || value === null) return undefined;
  return String(value);
}

/** The values of a TypeScript enum object (string and numeric, no reverse mappings). */
export function enumValues(enumObject: object): Array<string | number> {
  return Object.entries(enumObject)
    .filter(([key]) => Number.isNaN(Number.parseInt(key, 10)))
    .map(([, value]) => value as string | number);
}

/** Raw values of a list of domain values, deduplicated, order kept. */
export function toRawValues(values: Iterable<unknown>): RawValue[] {
  const seen = new Set<RawValue>();
  for (const value of values) seen.add(toRawValue(value));
  return [...seen];
}

/** Values shared by every list, in the order of the first. */
export function intersect(lists: ReadonlyArray<readonly RawValue[]>): RawValue[] {
  const [first = [], ...rest] = lists;
  return first.filter((value) => rest.every((list) => list.includes(value)));
}

/** How a value list reads in a message. */
export function describeValues(values: readonly RawValue[]): string {
  return values.map((value) => (value === undefined ? '(absent)' : JSON.stringify(value))).join(', ');
}
