import { enumValues, intersect, toRawValues, type RawValue } from './domain-values';

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
export function dtoProperties(dto: Function, classValidator: ClassValidatorLike | undefined): DtoProperty[] {
  if (!classValidator) return [];
  const metadatas = classValidator.getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  const byProperty = new Map<string, ValidationMetadataLike[]>();
  for (const metadata of metadatas) {
    const list = byProperty.get(metadata.propertyName) ?? [];
    list.push(metadata);
    byProperty.set(metadata.propertyName, list);
  }
  return [...byProperty].map(([name, list]) => describeProperty(dto.name, name, list));
}

function describeProperty(dtoName: string, name: string, list: ValidationMetadataLike[]): DtoProperty {
  const origin = `${dtoName}.${name}`;
  const discrete = list.filter((metadata) => metadata.name !== undefined && metadata.name in DISCRETE);
  const optional = list.some((metadata) => metadata.type === 'conditionalValidation' && metadata.name === 'isOptional');
  const perItem = discrete.find((metadata) => metadata.each);
  if (perItem) {
    return { name, origin, problem: `(${origin}) validates each item of an array with @${pascal(perItem.name ?? perItem.type)}({ each: true }); arrays are not enumerated` };
  }
  if (discrete.length === 0) {
    const validators = list.map((metadata) => `@${pascal(metadata.name ?? metadata.type)}`).join(', ');
    return { name, origin, problem: `(${origin}) has no discrete validator (it has ${validators || 'none'})` };
  }
  const values = intersect(discrete.map((metadata) => toRawValues(DISCRETE[metadata.name as string](metadata))));
  return { name, origin, values: optional ? [...values, undefined] : values };
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
