import type { ModuleRef } from '@nestjs/core';
import type { CombinationsFunction, ParamDomain } from '../interfaces/precomputed-options.interface';
import { messages } from '../precompute.messages';
import type { RawCombination } from './combination-list';
import { enumValues, toRawValue, toRawValues, type RawValue } from './domain-values';
import type { ExplicitDomain } from './parameter-domains';

/**
 * Runs the functions of `@Precomputed({ params })` (each with the app's
 * ModuleRef) and turns every explicit domain into raw values. A function
 * that throws, or returns anything but an array of plain values, makes its
 * parameter unknown and is reported as a failure naming handler and parameter.
 */
export async function evaluateParams(
  handler: string,
  params: Readonly<Record<string, ParamDomain>>,
  moduleRef: ModuleRef,
): Promise<{ explicit: Record<string, ExplicitDomain>; failures: string[] }> {
  const explicit: Record<string, ExplicitDomain> = {};
  const failures: string[] = [];
  await Promise.all(
    Object.entries(params).map(async ([name, domain]) => {
      const origin = `@Precomputed({ params: { ${name} } })`;
      if (typeof domain !== 'function') {
        explicit[name] = { values: toRawValues(Array.isArray(domain) ? domain : enumValues(domain)), origin, dynamic: false };
        return;
      }
      const where = `the domain function of parameter "${name}" (${origin})`;
      const result = await settle(() => domain(moduleRef));
      const problem = 'error' in result ? `threw ${describeError(result.error)}` : notValues(result.value);
      if (problem === undefined && 'value' in result) {
        explicit[name] = { values: toRawValues(result.value), origin: where, dynamic: true };
      } else {
        failures.push(messages.domainFunctionFailed(handler, where, problem ?? 'failed'));
        explicit[name] = { values: [], origin: where, dynamic: true, unknown: true };
      }
    }),
  );
  // Keep the declaration order of `params`, whatever order the functions finished in
  const ordered = Object.fromEntries(Object.keys(params).map((name) => [name, explicit[name]]));
  return { explicit: ordered, failures };
}

/** Runs `@Precomputed({ combinations })`: the list in raw form, or the failure naming the handler. */
export async function evaluateCombinations(
  handler: string,
  combinations: CombinationsFunction,
  moduleRef: ModuleRef,
): Promise<{ rows: RawCombination[] } | { failure: string }> {
  const where = 'the function of @Precomputed({ combinations })';
  const result = await settle(() => combinations(moduleRef));
  if ('error' in result) return { failure: messages.domainFunctionFailed(handler, where, `threw ${describeError(result.error)}`) };
  const list = result.value;
  if (!Array.isArray(list)) return { failure: messages.domainFunctionFailed(handler, where, `returned ${describeType(list)} instead of an array of objects`) };
  const rows: RawCombination[] = [];
  for (const [index, item] of list.entries()) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return { failure: messages.domainFunctionFailed(handler, where, `returned ${describeType(item)} at index ${index} instead of an object`) };
    }
    const row: Record<string, RawValue> = {};
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      if (!isPlainValue(value)) {
        return { failure: messages.domainFunctionFailed(handler, where, `returned ${describeType(value)} for "${key}" at index ${index}; values must be strings, numbers, booleans or undefined`) };
      }
      row[key] = toRawValue(value);
    }
    rows.push(row);
  }
  return { rows };
}

async function settle<T>(call: () => T | Promise<T>): Promise<{ value: T } | { error: unknown }> {
  try {
    return { value: await call() };
  } catch (error) {
    return { error };
  }
}

/** Why a function's result is not a list of values, or undefined when it is one. */
function notValues(value: unknown): string | undefined {
  if (!Array.isArray(value)) return `returned ${describeType(value)} instead of an array of values`;
  const index = value.findIndex((item) => !isPlainValue(item));
  if (index >= 0) return `returned ${describeType(value[index])} at index ${index}; values must be strings, numbers, booleans or undefined`;
  return undefined;
}

function isPlainValue(value: unknown): boolean {
  return value === undefined || value === null || ['string', 'boolean'].includes(typeof value) || (typeof value === 'number' && Number.isFinite(value));
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'Object'})`;
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`;
  // Not JSON.stringify: it writes NaN and Infinity, the numbers refused, as null
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
