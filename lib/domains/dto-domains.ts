import { enumValues, intersect, toRawValues, type RawValue } from './domain-values';
import { DEFAULT_MAX_INTEGER_RANGE, integerRange, isIntegerString } from './integer-range';

/** What class-validator's metadata storage tells about one property. */
interface ValidationMetadataLike {
  propertyName: string;
  type: string;
  name?: string;
  constraints?: unknown[];
  each?: boolean;
}

/** The part of class-validator this module reads: its metadata storage. */
export interface ClassValidatorLike {
  getMetadataStorage(): {
    getTargetValidationMetadatas(
      target: Function,
      schema: string,
      always: boolean,
      strictGroups: boolean,
      groups?: string[],
    ): ValidationMetadataLike[];
  };
}

/** One DTO property: its values, or why it has none that can be enumerated. */
export interface DtoProperty {
  readonly name: string;
  readonly values?: readonly RawValue[];
  readonly problem?: string;
  /** When the values cannot be listed but can be checked (`@IsInt()`, maybe bounded): the check, and what it allows. */
  readonly accepts?: (raw: RawValue) => boolean;
  readonly allowed?: string;
  readonly origin: string;
}

const DISCRETE: Readonly<Record<string, (metadata: ValidationMetadataLike) => unknown[]>> = {
  isEnum: (metadata) => enumValues(metadata.constraints?.[0] as object),
  isIn: (metadata) => [...((metadata.constraints?.[0] as unknown[]) ?? [])],
  isBoolean: () => [true, false],
};

/**
 * The properties of a `@Query()`/`@Param()` DTO with their domains, read from
 * class-validator's metadata (inherited properties included). TypeScript erases
 * enum types, so `design:type` cannot tell; the validators can.
 */
export function dtoProperties(
  dto: Function,
  classValidator: ClassValidatorLike | undefined,
  maxIntegerRange = DEFAULT_MAX_INTEGER_RANGE,
): DtoProperty[] {
  if (!classValidator) return [];
  const metadatas = classValidator.getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  const byProperty = new Map<string, ValidationMetadataLike[]>();
  for (const metadata of metadatas) {
    const list = byProperty.get(metadata.propertyName) ?? [];
    list.push(metadata);
    byProperty.set(metadata.propertyName, list);
  }
  return [...byProperty].map(([name, list]) => describeProperty(dto.name, name, list, maxIntegerRange));
}

function describeProperty(dtoName: string, name: string, list: ValidationMetadataLike[], maxIntegerRange: number): DtoProperty {
  const origin = `${dtoName}.${name}`;
  const discrete = list.filter((metadata) => metadata.name !== undefined && metadata.name in DISCRETE);
  const optional = list.some((metadata) => metadata.type === 'conditionalValidation' && metadata.name === 'isOptional');
  const perItem = [...discrete, ...named(list, 'isInt')].find((metadata) => metadata.each);
  if (perItem) {
    return { name, origin, problem: `(${origin}) validates each item of an array with @${pascal(perItem.name ?? perItem.type)}({ each: true }); arrays are not enumerated` };
  }
  const lists = discrete.map((metadata) => toRawValues(DISCRETE[metadata.name as string](metadata)));
  const range = integerBounds(list);
  if (range !== undefined) {
    if ('problem' in range) {
      // An enumerated validator alone still makes a domain; the range then only narrows it
      if (lists.length === 0) return { name, origin, problem: `(${origin}) ${range.problem}`, ...integerCheck(list, optional) };
    } else {
      lists.push(range.values);
    }
  }
  if (lists.length === 0) {
    const validators = list.map((metadata) => `@${pascal(metadata.name ?? metadata.type)}`).join(', ');
    return { name, origin, problem: `(${origin}) has no discrete validator (it has ${validators || 'none'})` };
  }
  const values = intersect(lists);
  return { name, origin, values: optional ? [...values, undefined] : values };

  /** `@IsInt()` with `@Min()` and `@Max()`: a range (the tightest bounds win); undefined when not all three are there. */
  function integerBounds(all: ValidationMetadataLike[]): ReturnType<typeof integerRange> | undefined {
    const mins = named(all, 'min').map((metadata) => Number(metadata.constraints?.[0]));
    const maxes = named(all, 'max').map((metadata) => Number(metadata.constraints?.[0]));
    if (named(all, 'isInt').length === 0) return undefined;
    if (mins.length === 0 || maxes.length === 0) {
      return { problem: `has @IsInt() without both @Min() and @Max(), so its range is unbounded` };
    }
    return integerRange(Math.max(...mins), Math.min(...maxes), maxIntegerRange);
  }
}

/** What `@IsInt()` with its optional `@Min()`/`@Max()` lets through, for explicit values to be checked against. */
function integerCheck(list: readonly ValidationMetadataLike[], optional: boolean): Pick<DtoProperty, 'accepts' | 'allowed'> {
  const min = Math.max(...named(list, 'min').map((metadata) => Number(metadata.constraints?.[0])));
  const max = Math.min(...named(list, 'max').map((metadata) => Number(metadata.constraints?.[0])));
  const bounds = [Number.isFinite(min) ? `>= ${min}` : '', Number.isFinite(max) ? `<= ${max}` : ''].filter(Boolean).join(' and ');
  return {
    accepts: (raw) => (raw === undefined ? optional : isIntegerString(raw) && Number(raw) >= min && Number(raw) <= max),
    allowed: `integers${bounds ? ` ${bounds}` : ''}${optional ? ' or absent' : ''}`,
  };
}

function named(list: readonly ValidationMetadataLike[], name: string): ValidationMetadataLike[] {
  return list.filter((metadata) => metadata.name === name);
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
