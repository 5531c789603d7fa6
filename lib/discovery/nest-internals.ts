/**
 * Every Nest-internal detail this module depends on, in one place.
 *
 * Nest does not export the route-argument metadata format nor the numbers of
 * `RouteParamtypes`, but discovery must read them to know what each handler
 * parameter is (`@Query()`, `@Param('id')`, `@Body()`...). The metadata keys
 * come from `@nestjs/common/constants`, which Nest's own packages use; the
 * parameter type numbers mirror `RouteParamtypes` in
 * `@nestjs/common/enums/route-paramtypes.enum`. If a Nest release changes
 * them, this file is the one to update.
 */
import type { PipeTransform, Type } from '@nestjs/common';
import {
  CUSTOM_ROUTE_ARGS_METADATA,
  EXCEPTION_FILTERS_METADATA,
  GUARDS_METADATA,
  HEADERS_METADATA,
  HOST_METADATA,
  HTTP_CODE_METADATA,
  INTERCEPTORS_METADATA,
  METHOD_METADATA,
  PATH_METADATA,
  PIPES_METADATA,
  REDIRECT_METADATA,
  RENDER_METADATA,
  ROUTE_ARGS_METADATA,
  SSE_METADATA,
} from '@nestjs/common/constants';

/** Mirror of `RouteParamtypes` (not exported by `@nestjs/common`). */
export const ROUTE_PARAM_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: '@Req()',
  1: '@Res()',
  2: '@Next()',
  3: '@Body()',
  4: '@Query()',
  5: '@Param()',
  6: '@Headers()',
  7: '@Session()',
  8: '@UploadedFile()',
  9: '@UploadedFiles()',
  10: '@HostParam()',
  11: '@Ip()',
  12: '@RawBody()',
  13: '@Ack()',
  14: '@Cookies()',
  15: '@SignedCookies()',
};
export const QUERY_PARAM_TYPE = 4;
export const PATH_PARAM_TYPE = 5;
export const RESPONSE_PARAM_TYPES: ReadonlySet<number> = new Set([1, 2]);

export type PipeLike = PipeTransform | Type<PipeTransform>;

/** One entry of a handler's route-argument metadata, as Nest stores it. */
export interface RouteArgument {
  /** Position in the handler's parameter list. */
  index: number;
  /** A `RouteParamtypes` number, or -1 for a custom param decorator. */
  type: number;
  /** `@Query('name')` → `'name'`; `@Query()` → undefined. */
  data: unknown;
  pipes: PipeLike[];
}

interface RawRouteArgument {
  index: number;
  data?: unknown;
  pipes?: PipeLike[];
}

/** The route arguments of `Controller.method`, in parameter order. */
export function readRouteArguments(controller: Type, methodName: string): RouteArgument[] {
  const raw = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, methodName) ?? {}) as Record<
    string,
    RawRouteArgument
  >;
  return Object.entries(raw)
    .map(([key, arg]) => ({
      index: arg.index,
      // Keys are "<paramtype>:<index>", or "<something>__customRouteArgs__:<index>"
      type: key.includes(CUSTOM_ROUTE_ARGS_METADATA) ? -1 : Number(key.split(':')[0]),
      data: arg.data,
      pipes: arg.pipes ?? [],
    }))
    .sort((a, b) => a.index - b.index);
}

/** `@UsePipes()` of a controller class or a handler. */
export function readPipes(target: object): PipeLike[] {
  return (Reflect.getMetadata(PIPES_METADATA, target) as PipeLike[] | undefined) ?? [];
}

/** `@UseInterceptors()` of a controller class or a handler (classes or instances). */
export function readInterceptors(target: object): unknown[] {
  return (Reflect.getMetadata(INTERCEPTORS_METADATA, target) as unknown[] | undefined) ?? [];
}

/** The path(s) of a controller or handler; the first one when several are given. */
export function readPath(target: object): string {
  const path = Reflect.getMetadata(PATH_METADATA, target) as string | string[] | undefined;
  return (Array.isArray(path) ? path[0] : path) ?? '';
}

/** The HTTP method of a handler, as the `RequestMethod` enum number. */
export function readRequestMethod(handler: object): number | undefined {
  return Reflect.getMetadata(METHOD_METADATA, handler) as number | undefined;
}

/**
 * `ParseEnumPipe` keeps its enum and options in protected fields; they are the
 * only place a named enum parameter's domain is written down.
 */
export function readParseEnumPipe(pipe: object): { enumType: unknown; optional: boolean } {
  const fields = pipe as { enumType?: unknown; options?: { optional?: boolean } };
  return { enumType: fields.enumType, optional: fields.options?.optional === true };
}

/** `ParseBoolPipe` keeps its options in a protected field. */
export function readParseBoolPipeOptional(pipe: object): boolean {
  return (pipe as { options?: { optional?: boolean } }).options?.optional === true;
}

/** `@UseGuards()` of a controller class or a handler. */
export function readGuards(target: object): unknown[] {
  return (Reflect.getMetadata(GUARDS_METADATA, target) as unknown[] | undefined) ?? [];
}

/** `@HttpCode()` of a handler. */
export function readHttpCode(handler: object): number | undefined {
  return Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined;
}

/** `@Header()` values of a handler, in declaration order. */
export function readHeaders(handler: object): Array<[string, string]> {
  const headers = (Reflect.getMetadata(HEADERS_METADATA, handler) as Array<{ name: string; value: string }> | undefined) ?? [];
  return headers.map(({ name, value }) => [name, value]);
}

/** Whether Nest turns the handler's value into something else than a JSON body (`@Render`, `@Redirect`, `@Sse`). */
export function hasResponseOverride(handler: object): boolean {
  return [RENDER_METADATA, REDIRECT_METADATA, SSE_METADATA].some((key) => Reflect.getMetadata(key, handler) !== undefined);
}

/** `@Controller({ host })`. */
export function readHost(controller: object): unknown {
  return Reflect.getMetadata(HOST_METADATA, controller);
}

/** `@UseFilters()` of a controller class or a handler. */
export function readFilters(target: object): unknown[] {
  return (Reflect.getMetadata(EXCEPTION_FILTERS_METADATA, target) as unknown[] | undefined) ?? [];
}
