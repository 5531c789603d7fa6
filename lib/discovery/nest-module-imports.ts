/**
 * A Nest-internal detail, kept beside nest-internals.ts for the same reason:
 * which modules *declare* an import. Nest links a global module into every
 * module's `imports`, so the runtime graph cannot tell who imported it; the
 * `@Module({ imports })` metadata (key from `@nestjs/common/constants`) can.
 */
import type { Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants';

/** Whether `importer`'s `@Module({ imports })` lists `imported`, as a class or as a dynamic module. */
export function declaresImportOf(importer: Type, imported: Type): boolean {
  const declared = (Reflect.getMetadata(MODULE_METADATA.IMPORTS, importer) ?? []) as unknown[];
  return declared.some((entry) => entry === imported || (typeof entry === 'object' && entry !== null && (entry as { module?: unknown }).module === imported));
}
