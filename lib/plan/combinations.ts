import { describeValues, type ParameterSpec, type RawValue } from '../domains/domain-values';
import { messages } from '../precompute.messages';

/** How many combinations the domains make (1 for a handler without parameters). */
export function countCombinations(params: readonly ParameterSpec[]): number {
  return params.reduce((product, param) => product * param.values.length, 1);
}

/** What a plan is made from: domains per parameter, and maybe an exact list of combinations. */
export interface CombinationSource {
  readonly params: readonly ParameterSpec[];
  /** The exact combinations, when they are not every product of the domains (`PlannedKeys`). */
  planned?(): Iterable<readonly RawValue[]>;
}

/**
 * Every combination of a handler: its exact list when it has one, else the
 * product of its domains, the last parameter varying fastest.
 */
export function* combinations(source: readonly ParameterSpec[] | CombinationSource): Generator<RawValue[]> {
  if ('params' in source && source.planned) {
    for (const values of source.planned()) yield [...values];
    return;
  }
  const params = 'params' in source ? source.params : source;
  const total = countCombinations(params);
  for (let n = 0; n < total; n++) {
    const values: RawValue[] = new Array(params.length);
    let rest = n;
    for (let i = params.length - 1; i >= 0; i--) {
      const domain = params[i].values;
      values[i] = domain[rest % domain.length];
      rest = Math.floor(rest / domain.length);
    }
    yield values;
  }
}

/** Throws when a handler has more combinations than allowed, naming its largest domains. */
export function assertWithinLimit(handler: string, params: readonly ParameterSpec[], max: number): void {
  const count = countCombinations(params);
  if (count <= max) return;
  const factors = [...params]
    .sort((a, b) => b.values.length - a.values.length)
    .slice(0, 3)
    .map((param) => `${param.name} (${param.values.length}: ${truncate(describeValues(param.values))})`)
    .join(', ');
  throw new Error(messages.tooManyCombinations(handler, count, max, factors));
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
