import { messages } from '../precompute.messages';
import { describeValues, type ParameterSpec, type RawValue } from './domain-values';
import { assignLeftovers, describeParameters, type ArgumentSpec, type ParameterSource } from './parameter-slots';
import { allows, describeRule } from './value-rules';

export type { ArgumentSpec } from './parameter-slots';

/** The values `@Precomputed({ params })` gives one parameter, once any function in it has run. */
export interface ExplicitDomain {
  readonly values: readonly RawValue[];
  /** Where the values come from, for messages: `@Precomputed({ params: { year } })`. */
  readonly origin: string;
  /** Read from data by a function: a bad value fails this run of the handler, not the app's startup. */
  readonly dynamic: boolean;
  /** The function failed: the values are unknown for now. */
  readonly unknown?: boolean;
}

export interface HandlerDomains {
  readonly params: readonly ParameterSpec[];
  readonly args: readonly ArgumentSpec[];
  /** Mistakes in code: the handler cannot be precomputed until they are fixed. */
  readonly problems: readonly string[];
  /** Bad data from a domain function: this run of the handler fails, what is cached stays. */
  readonly failures: readonly string[];
  /** Positions in `params` whose values are unknown (their function failed). */
  readonly unknown: readonly number[];
}

export interface DomainSource extends ParameterSource {
  readonly explicit: Readonly<Record<string, ExplicitDomain>>;
}

/**
 * Works out every parameter's domain for one handler: from `@Precomputed({ params })`
 * (values a pipe or validator can check must pass it), from pipes
 * (`ParseEnumPipe`, `ParseBoolPipe`) on named parameters, and from
 * class-validator metadata on `@Query()`/`@Param()` DTOs (enums, `@IsIn`,
 * booleans, small `@IsInt() @Min() @Max()` ranges).
 */
export function resolveDomains(source: DomainSource): HandlerDomains {
  const { handler, explicit } = source;
  const parameters = describeParameters(source);
  const assigned = assignLeftovers(handler, parameters, Object.keys(explicit), (name, known) =>
    messages.unknownExplicitParam(handler, name, known),
  );
  const problems = [...parameters.problems, ...assigned.problems];
  const failures: string[] = [];
  const params: ParameterSpec[] = [];
  const unknown: number[] = [];

  for (const slot of assigned.slots) {
    const given = Object.hasOwn(explicit, slot.name) ? explicit[slot.name] : undefined;
    const { name, source: kind } = slot;
    if (given?.unknown) {
      unknown.push(params.length);
      params.push({ name, source: kind, values: [], origin: given.origin });
      continue;
    }
    const values = given?.values ?? slot.rule?.values;
    if (!values) {
      problems.push(messages.noDomain(handler, slot.subject, slot.rule?.problem ?? 'has no domain'));
      continue;
    }
    // A route param is never absent
    const present = kind === 'path' ? values.filter((value) => value !== undefined) : [...values];
    const report = given?.dynamic ? failures : problems;
    const refused = given ? present.filter((value) => !allows(slot.rule, value)) : [];
    if (refused.length && slot.rule) {
      report.push(messages.valuesRefused(handler, name, given?.origin ?? '', describeValues(refused), describeRule(slot.rule)));
    } else if (present.length === 0 && !given?.dynamic) {
      // A function may find no values today (no stores yet): nothing to precompute, every request runs live
      problems.push(messages.emptyDomain(handler, name));
    }
    params.push({ name, source: kind, values: present, origin: given?.origin ?? slot.rule?.origin ?? name });
  }
  return { params, args: parameters.args, problems, failures, unknown };
}
