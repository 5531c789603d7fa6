import { ValidationPipe, type Type } from '@nestjs/common';
import type { ArgumentSpec } from '../domains/parameter-domains';
import type { PipeLike } from './nest-internals';

const PLAIN_TYPES: ReadonlySet<unknown> = new Set([Object, String, Number, Boolean, Array, undefined]);

/**
 * The parameters of a precomputed handler that no pipe validates. A request
 * with a value outside the domain is not a combination, so it runs live: only
 * a validating pipe turns it into a 400 before the handler sees it.
 * - a DTO (`@Query() q: Dto`) needs a `ValidationPipe` (global, controller,
 *   handler or on the parameter): other pipes do not read class-validator rules;
 * - a named value (`@Query('x')`) or a DTO-less object needs a pipe of its own
 *   (`ParseEnumPipe`...) or a pipe of the app's at any level, which may
 *   validate; a `ValidationPipe` skips plain values.
 * Returns a description of each, e.g. `@Query() SalesQuery`.
 */
export function unvalidatedArguments(args: readonly ArgumentSpec[], levelPipes: readonly PipeLike[]): string[] {
  const appPipe = levelPipes.some((pipe) => !isValidationPipe(pipe));
  const validation = levelPipes.some(isValidationPipe);
  const problems: string[] = [];
  for (const arg of args) {
    const decorator = arg.source === 'query' ? '@Query' : '@Param';
    const isDto = arg.name === undefined && !PLAIN_TYPES.has(arg.metatype);
    if (isDto) {
      if (!validation && !arg.pipes.some(isValidationPipe)) problems.push(`${decorator}() ${(arg.metatype as Type).name}`);
    } else if (arg.pipes.length === 0 && !appPipe) {
      problems.push(arg.name === undefined ? `${decorator}()` : `${decorator}('${arg.name}')`);
    }
  }
  return problems;
}

function isValidationPipe(pipe: PipeLike): boolean {
  return (
    pipe instanceof ValidationPipe ||
    (typeof pipe === 'function' && (pipe === ValidationPipe || (pipe as Type).prototype instanceof ValidationPipe))
  );
}
