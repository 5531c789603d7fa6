import { ParseBoolPipe, ParseEnumPipe, type Type } from '@nestjs/common';
import {
  PATH_PARAM_TYPE,
  QUERY_PARAM_TYPE,
  RESPONSE_PARAM_TYPES,
  ROUTE_PARAM_TYPE_NAMES,
  readParseBoolPipeOptional,
  readParseEnumPipe,
  type PipeLike,
  type RouteArgument,
} from '../discovery/nest-internals';
import type { ParamDomain } from '../interfaces/precomputed-options.interface';
import { messages } from '../precompute.messages';
import { enumValues, toRawValues, type ParameterSpec, type RawValue } from './domain-values';
import { dtoProperties, type ClassValidatorLike } from './dto-domains';

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

export interface HandlerDomains {
  readonly params: readonly ParameterSpec[];
  readonly args: readonly ArgumentSpec[];
  readonly problems: readonly string[];
}

export interface DomainSource {
  /** `Controller.method`, for messages. */
  readonly handler: string;
  readonly routeArgs: readonly RouteArgument[];
  /** `design:paramtypes` of the handler: classes only, never enums. */
  readonly paramtypes: readonly unknown[];
  readonly explicit: Readonly<Record<string, ParamDomain>>;
  readonly classValidator?: ClassValidatorLike;
}

const PLAIN_TYPES: ReadonlySet<unknown> = new Set([Object, String, Number, Boolean, Array, undefined]);

/**
 * Works out every parameter's domain for one handler: from `@Precomputed({ params })`,
 * from pipes (`ParseEnumPipe`, `ParseBoolPipe`) on named parameters, and from
 * class-validator metadata on `@Query()`/`@Param()` DTOs.
 */
export function resolveDomains(source: DomainSource): HandlerDomains {
  const { handler, explicit } = source;
  const problems: string[] = [];
  const params: ParameterSpec[] = [];
  const args: ArgumentSpec[] = [];
  const used = new Set<string>();
  const objectsWithoutDto: Array<{ arg: RouteArgument; source: 'query' | 'path' }> = [];

  const add = (spec: ParameterSpec) => {
    if (params.some((other) => other.name === spec.name && other.source === spec.source)) {
      problems.push(messages.duplicateParam(handler, `${spec.source} "${spec.name}"`));
      return;
    }
    // A route param is never absent
    const values = spec.source === 'path' ? spec.values.filter((value) => value !== undefined) : spec.values;
    if (values.length === 0) problems.push(messages.emptyDomain(handler, spec.name));
    params.push({ ...spec, values });
  };
  const fromExplicit = (name: string, source: 'query' | 'path'): ParameterSpec | undefined => {
    if (!Object.hasOwn(explicit, name)) return undefined;
    used.add(name);
    return { name, source, values: explicitValues(explicit[name]), origin: `@Precomputed({ params: { ${name} } })` };
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
    if (typeof arg.data === 'string') {
      const name = arg.data;
      const decorated = `${kind === 'query' ? '@Query' : '@Param'}('${name}')`;
      const spec = fromExplicit(name, kind) ?? fromPipes(name, kind, arg.pipes, decorated);
      if (spec) add(spec);
      else problems.push(messages.noDomain(handler, `parameter #${arg.index} ${decorated}`, 'has no pipe that fixes its values'));
      args.push({ index: arg.index, source: kind, name, metatype, pipes: arg.pipes });
      continue;
    }
    if (PLAIN_TYPES.has(metatype)) {
      objectsWithoutDto.push({ arg, source: kind });
      args.push({ index: arg.index, source: kind, metatype, pipes: arg.pipes });
      continue;
    }
    for (const property of dtoProperties(metatype as Function, source.classValidator)) {
      const spec = fromExplicit(property.name, kind);
      if (spec) add(spec);
      else if (property.values) add({ name: property.name, source: kind, values: property.values, origin: property.origin });
      else problems.push(messages.noDomain(handler, `property "${property.name}"`, property.problem ?? 'has no domain'));
    }
    args.push({ index: arg.index, source: kind, metatype, pipes: arg.pipes });
  }

  // Keys of whole objects without a DTO can only come from explicit params
  const leftover = Object.keys(explicit).filter((name) => !used.has(name));
  for (const entry of objectsWithoutDto) {
    if (leftover.length === 0) {
      problems.push(messages.objectWithoutDto(handler, entry.arg.index, ROUTE_PARAM_TYPE_NAMES[entry.arg.type]));
      continue;
    }
    for (const name of leftover.splice(0)) add(fromExplicit(name, entry.source) as ParameterSpec);
  }
  for (const name of leftover) {
    problems.push(messages.unknownExplicitParam(handler, name, params.map((param) => param.name)));
  }
  return { params, args, problems };
}

function fromPipes(name: string, source: 'query' | 'path', pipes: readonly PipeLike[], decorated: string): ParameterSpec | undefined {
  for (const pipe of pipes) {
    if (pipe instanceof ParseEnumPipe) {
      const { enumType, optional } = readParseEnumPipe(pipe);
      const values: RawValue[] = toRawValues(enumValues(enumType as object));
      return { name, source, values: optional ? [...values, undefined] : values, origin: `ParseEnumPipe on ${decorated}` };
    }
    if (pipe === ParseBoolPipe || pipe instanceof ParseBoolPipe) {
      const optional = pipe instanceof ParseBoolPipe && readParseBoolPipeOptional(pipe);
      return { name, source, values: optional ? ['true', 'false', undefined] : ['true', 'false'], origin: `ParseBoolPipe on ${decorated}` };
    }
  }
  return undefined;
}

function explicitValues(domain: ParamDomain): RawValue[] {
  return toRawValues(Array.isArray(domain) ? domain : enumValues(domain as object));
}
