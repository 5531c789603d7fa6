import { messages } from '../precompute.messages';
import { describeValues, type ParameterSpec, type RawValue } from './domain-values';
import { assignLeftovers, describeParameters, type ArgumentSpec, type ParameterSource } from './parameter-slots';
import { allows, describeRule } from './value-rules';

/** One object of `@Precomputed({ combinations })`, its values in raw (URL) form. */
export type RawCombination = Readonly<Record<string, RawValue>>;

export interface CombinationDomains {
  readonly params: readonly ParameterSpec[];
  readonly args: readonly ArgumentSpec[];
  /** Mistakes in code (`@Body()`, custom decorators...): the handler cannot be precomputed. */
  readonly problems: readonly string[];
  /** Invalid combinations: this run of the handler fails, what is cached stays. */
  readonly failures: readonly string[];
  /** The combinations, each aligned with `params`, duplicates removed. */
  readonly list: ReadonlyArray<readonly RawValue[]>;
}

const SHOWN = 10;

/**
 * Checks an exact list of combinations against a handler's parameters, as
 * `params` are checked: every key must be a parameter, every route param
 * present, every value allowed by the parameter's enum, validators and pipes.
 * One invalid combination refuses the list, naming each bad one.
 */
export function resolveCombinationList(source: ParameterSource, rows: readonly RawCombination[]): CombinationDomains {
  const { handler } = source;
  const parameters = describeParameters(source);
  const names = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const failures: string[] = [];
  // Keys that are no parameter are reported per combination below, so each bad one is named
  const assigned = assignLeftovers(handler, parameters, names, () => '');
  const problems = assigned.problems.filter((problem) => problem !== '');
  // With no combinations at all, a DTO-less object simply has no keys today
  const invalid: string[] = rows.length ? problems.map((problem) => `  - ${problem}`) : [];
  const { slots } = assigned;
  const seen = new Set<string>();
  const list: RawValue[][] = [];
  rows.forEach((row, index) => {
    const values = slots.map((slot) => (Object.hasOwn(row, slot.name) ? row[slot.name] : undefined));
    const unknown = Object.keys(row).filter((key) => !slots.some((slot) => slot.name === key));
    const reasons = unknown.map((key) => `key "${key}" is not a parameter of the handler (its parameters: ${slots.map((slot) => slot.name).join(', ') || 'none'})`);
    reasons.push(...slots.flatMap((slot, i) => {
      const value = values[i];
      if (slot.source === 'path' && value === undefined) return [`route param "${slot.name}" is missing`];
      if (!allows(slot.rule, value)) return [`${slot.name} = ${describeValues([value])} is refused by ${describeRule(slot.rule!)}`];
      return [];
    }));
    if (reasons.length) {
      invalid.push(`  - #${index} ${JSON.stringify(row)}: ${reasons.join('; ')}`);
      return;
    }
    const id = JSON.stringify(values.map((value) => value ?? null));
    if (seen.has(id)) return;
    seen.add(id);
    list.push(values);
  });
  if (invalid.length) {
    const shown = invalid.slice(0, SHOWN).join('\n') + (invalid.length > SHOWN ? `\n  ... and ${invalid.length - SHOWN} more` : '');
    failures.push(messages.combinationsRefused(handler, invalid.length, rows.length, shown));
  }
  const params = slots.map((slot, i) => ({
    name: slot.name,
    source: slot.source,
    values: [...new Set(list.map((values) => values[i]))],
    origin: '@Precomputed({ combinations })',
  }));
  return { params, args: parameters.args, problems: parameters.problems, failures, list };
}
