import { ParseBoolPipe, ParseEnumPipe, ParseIntPipe } from '@nestjs/common';
import { readParseBoolPipeOptional, readParseEnumPipe, type PipeLike } from '../discovery/nest-internals';
import { enumValues, toRawValues, type RawValue } from './domain-values';
import { isIntegerString } from './integer-range';

/**
 * What the module knows, without being told, about the values one parameter
 * accepts: an enumerable list (an enum, `@IsIn`, a boolean, an integer range),
 * or only a check (`ParseIntPipe`: any integer), or nothing (`problem` says why).
 * Explicit values from `params` or `combinations` must pass it.
 */
export interface ValueRule {
  readonly values?: readonly RawValue[];
  readonly accepts?: (raw: RawValue) => boolean;
  /** What `accepts` lets through, for messages (e.g. `integers >= 0 and <= 5000`). */
  readonly allowed?: string;
  /** Where the rule comes from, e.g. `ParseIntPipe on @Query('year')`. */
  readonly origin: string;
  /** Why the values cannot be enumerated, when they cannot. */
  readonly problem?: string;
}

/** Whether a raw value passes a rule (a rule that knows nothing accepts anything). */
export function allows(rule: ValueRule | undefined, raw: RawValue): boolean {
  if (!rule) return true;
  if (rule.values) return rule.values.includes(raw);
  return rule.accepts ? rule.accepts(raw) : true;
}

/** The rule the pipes of a named `@Query('x')`/`@Param('x')` parameter imply. */
export function ruleFromPipes(pipes: readonly PipeLike[], decorated: string): ValueRule {
  for (const pipe of pipes) {
    if (pipe instanceof ParseEnumPipe) {
      const { enumType, optional } = readParseEnumPipe(pipe);
      const values: RawValue[] = toRawValues(enumValues(enumType as object));
      return { values: optional ? [...values, undefined] : values, origin: `ParseEnumPipe on ${decorated}` };
    }
    if (pipe === ParseBoolPipe || pipe instanceof ParseBoolPipe) {
      const optional = pipe instanceof ParseBoolPipe && readParseBoolPipeOptional(pipe);
      return { values: optional ? ['true', 'false', undefined] : ['true', 'false'], origin: `ParseBoolPipe on ${decorated}` };
    }
    if (pipe === ParseIntPipe || pipe instanceof ParseIntPipe) {
      // ParseIntPipe keeps `optional` in the same protected `options` field as ParseBoolPipe
      const optional = pipe instanceof ParseIntPipe && readParseBoolPipeOptional(pipe);
      return {
        accepts: (raw) => (raw === undefined ? optional : isIntegerString(raw)),
        allowed: `integers${optional ? ' or absent' : ''}`,
        origin: `ParseIntPipe on ${decorated}`,
        problem: 'has ParseIntPipe, which accepts any integer',
      };
    }
  }
  return { origin: decorated, problem: 'has no pipe that fixes its values' };
}

/** How a rule reads in a message: its values, or what it checks. */
export function describeRule(rule: ValueRule): string {
  if (rule.values) {
    const shown = rule.values.slice(0, 12).map((value) => (value === undefined ? '(absent)' : JSON.stringify(value)));
    return `${rule.origin} (allows ${shown.join(', ')}${rule.values.length > 12 ? `, … ${rule.values.length} in all` : ''})`;
  }
  return `${rule.origin} (allows ${rule.allowed ?? 'some values only'})`;
}
