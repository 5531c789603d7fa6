import type { Type } from '@nestjs/common';
import {
  PATH_PARAM_TYPE,
  QUERY_PARAM_TYPE,
  RESPONSE_PARAM_TYPES,
  ROUTE_PARAM_TYPE_NAMES,
  type PipeLike,
  type RouteArgument,
} from '../discovery/nest-internals';
import { messages } from '../precompute.messages';
import { dtoProperties, type ClassValidatorLike } from './dto-domains';
import { ruleFromPipes, type ValueRule } from './value-rules';

/** How to rebuild one handler argument from a combination's raw values. */
export interface ArgumentSpec {
  readonly index: number;
  readonly source: 'query' | 'path';
  /** `@Query('x')` → `'x'`; a whole `@Query()` object → undefined. */
  readonly name?: string;
  /** The declared parameter type (a DTO class, `String`...), for pipes. */
  readonly metatype?: Type;
  readonly pipes: readonly PipeLike[];
}

/** One query key or route param of a handler, and what is known about its values. */
export interface ParameterSlot {
  readonly name: string;
  readonly source: 'query' | 'path';
  /** Undefined for a key of a DTO-less object, about which nothing is known. */
  readonly rule?: ValueRule;
  /** How messages name it: `parameter #1 @Query('year')`, `property "region"`, `key "channel"`. */
  readonly subject: string;
}

export interface HandlerParameters {
  readonly slots: ParameterSlot[];
  readonly args: ArgumentSpec[];
  readonly problems: string[];
  /** Whole `@Query()`/`@Param()` objects without a DTO: their keys are the explicit names left over. */
  readonly objects: ReadonlyArray<{ readonly arg: RouteArgument; readonly source: 'query' | 'path' }>;
}

export interface ParameterSource {
  /** `Controller.method`, for messages. */
  readonly handler: string;
  readonly routeArgs: readonly RouteArgument[];
  /** `design:paramtypes` of the handler: classes only, never enums. */
  readonly paramtypes: readonly unknown[];
  readonly classValidator?: ClassValidatorLike;
  readonly maxIntegerRange?: number;
}

const PLAIN_TYPES: ReadonlySet<unknown> = new Set([Object, String, Number, Boolean, Array, undefined]);

/**
 * Every query key and route param a handler reads, with what its pipes and
 * class-validator metadata say about its values; and the parameters that can
 * never be precomputed (`@Res()`, `@Body()`, custom decorators).
 */
export function describeParameters(source: ParameterSource): HandlerParameters {
  const { handler } = source;
  const slots: ParameterSlot[] = [];
  const args: ArgumentSpec[] = [];
  const problems: string[] = [];
  const objects: Array<{ arg: RouteArgument; source: 'query' | 'path' }> = [];
  const add = (slot: ParameterSlot) => {
    if (slots.some((other) => other.name === slot.name && other.source === slot.source)) {
      problems.push(messages.duplicateParam(handler, `${slot.source} "${slot.name}"`));
    } else {
      slots.push(slot);
    }
  };

  for (const arg of source.routeArgs) {
    const decorator = ROUTE_PARAM_TYPE_NAMES[arg.type] ?? 'a parameter decorator';
    if (arg.type === -1) {
      problems.push(messages.customParam(handler, arg.index));
      continue;
    }
    if (RESPONSE_PARAM_TYPES.has(arg.type)) {
      problems.push(messages.responseParam(handler, arg.index, decorator));
      continue;
    }
    if (arg.type !== QUERY_PARAM_TYPE && arg.type !== PATH_PARAM_TYPE) {
      problems.push(messages.unsupportedParam(handler, arg.index, decorator));
      continue;
    }
    const kind = arg.type === QUERY_PARAM_TYPE ? 'query' : 'path';
    const metatype = source.paramtypes[arg.index] as Type | undefined;
    args.push({ index: arg.index, source: kind, ...(typeof arg.data === 'string' ? { name: arg.data } : {}), metatype, pipes: arg.pipes });
    if (typeof arg.data === 'string') {
      const decorated = `${kind === 'query' ? '@Query' : '@Param'}('${arg.data}')`;
      add({ name: arg.data, source: kind, rule: ruleFromPipes(arg.pipes, decorated), subject: `parameter #${arg.index} ${decorated}` });
      continue;
    }
    if (PLAIN_TYPES.has(metatype)) {
      objects.push({ arg, source: kind });
      continue;
    }
    for (const property of dtoProperties(metatype as Function, source.classValidator, source.maxIntegerRange)) {
      const rule: ValueRule = property.values
        ? { values: property.values, origin: `@${property.origin}` }
        : { origin: `@${property.origin}`, problem: property.problem ?? 'has no domain', accepts: property.accepts, allowed: property.allowed };
      add({ name: property.name, source: kind, rule, subject: `property "${property.name}"` });
    }
  }
  return { slots, args, problems, objects };
}

/**
 * Gives the names that match no parameter to the first DTO-less object (as
 * keys about which nothing is known); names left with nowhere to go, and
 * further DTO-less objects without keys, are problems.
 */
export function assignLeftovers(
  handler: string,
  parameters: HandlerParameters,
  names: readonly string[],
  unknownName: (name: string, known: readonly string[]) => string,
): { slots: ParameterSlot[]; problems: string[] } {
  const slots = [...parameters.slots];
  const problems: string[] = [];
  const leftover = names.filter((name) => !slots.some((slot) => slot.name === name));
  for (const { arg, source } of parameters.objects) {
    if (leftover.length === 0) {
      problems.push(messages.objectWithoutDto(handler, arg.index, ROUTE_PARAM_TYPE_NAMES[arg.type]));
      continue;
    }
    for (const name of leftover.splice(0)) slots.push({ name, source, subject: `key "${name}"` });
  }
  for (const name of leftover) problems.push(unknownName(name, slots.map((slot) => slot.name)));
  return { slots, problems };
}
