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
 *
 * Routes: the URL a handler answers at is Nest's to decide (global prefix and
 * its `exclude` list, RouterModule paths, URI version prefixes). Nest computes
 * it in `RoutePathFactory` and reads handler paths with `PathsExplorer`, neither
 * of which is public API; we import them (rather than copy them) so that a Nest
 * release that changes how routes are built breaks loudly here instead of
 * drifting silently, and so cache keys are the very paths Nest registered.
 */
import type { PipeTransform, RequestMethod, Type, VersioningOptions } from '@nestjs/common';
import type { ApplicationConfig } from '@nestjs/core';
import { MetadataScanner } from '@nestjs/core';
import { PathsExplorer } from '@nestjs/core/router/paths-explorer.js';
import { RoutePathFactory } from '@nestjs/core/router/route-path-factory.js';
import {
  CUSTOM_ROUTE_ARGS_METADATA,
  EXCEPTION_FILTERS_METADATA,
  GUARDS_METADATA,
  HEADERS_METADATA,
  HOST_METADATA,
  HTTP_CODE_METADATA,
  INTERCEPTORS_METADATA,
  METHOD_METADATA,
  MODULE_PATH,
  PATH_METADATA,
  PIPES_METADATA,
  REDIRECT_METADATA,
  RENDER_METADATA,
  ROUTE_ARGS_METADATA,
  SSE_METADATA,
  VERSION_METADATA,
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

/** A version as Nest stores it: a string, `VERSION_NEUTRAL`, or a list of them. */
export type NestVersion = string | symbol | ReadonlyArray<string | symbol>;

/** One handler method of a controller, as Nest's router reads it. */
export interface HandlerRouteMetadata {
  readonly methodName: string;
  readonly requestMethod: RequestMethod;
  readonly paths: readonly string[];
  readonly version?: NestVersion;
}

/** The handler methods of a controller with their paths and `@Version()`s, read the way Nest's router reads them. */
export function readHandlerRoutes(prototype: object): HandlerRouteMetadata[] {
  const explorer = new PathsExplorer(new MetadataScanner());
  return explorer.scanForPaths(prototype, prototype).map((route) => ({
    methodName: route.methodName,
    requestMethod: route.requestMethod,
    paths: route.path,
    version: route.version as NestVersion | undefined,
  }));
}

/** The controller paths, each with a leading slash (as `RouterExplorer.extractRouterPath`). */
export function readControllerPaths(controller: object): string[] {
  const path = Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined;
  const paths = Array.isArray(path) ? path : [path ?? '/'];
  return paths.map((p) => (p.startsWith('/') ? p : `/${p}`));
}

/** `@Controller({ version })`, or the default version of the app's versioning (as `RoutesResolver.getVersionMetadata`). */
export function readControllerVersion(controller: object, versioning: VersioningOptions | undefined): NestVersion | undefined {
  if (!versioning) return undefined;
  return (Reflect.getMetadata(VERSION_METADATA, controller) as NestVersion | undefined) ?? (versioning.defaultVersion as NestVersion | undefined);
}

/** The `RouterModule` path of a module (per application first, as `RoutesResolver.getModulePathMetadata`). */
export function readModulePath(moduleClass: object | undefined, applicationId: string): string | undefined {
  if (!moduleClass) return undefined;
  return (
    (Reflect.getMetadata(MODULE_PATH + applicationId, moduleClass) as string | undefined) ??
    (Reflect.getMetadata(MODULE_PATH, moduleClass) as string | undefined)
  );
}

export interface RoutePathInput {
  readonly globalPrefix: string;
  readonly modulePath?: string;
  readonly ctrlPath: string;
  readonly methodPath: string;
  /** One version (not a list): the path is built for that version alone. */
  readonly version?: string | symbol;
  readonly versioning?: VersioningOptions;
}

/** Builds route paths with Nest's own `RoutePathFactory`, one factory per app. */
export class NestRoutePaths {
  private readonly factory: RoutePathFactory;

  constructor(config: ApplicationConfig) {
    this.factory = new RoutePathFactory(config);
  }

  /** The paths Nest registers for one method path and one version. */
  create(input: RoutePathInput, requestMethod: RequestMethod): string[] {
    return this.factory.create(
      {
        globalPrefix: input.globalPrefix,
        modulePath: input.modulePath,
        ctrlPath: input.ctrlPath,
        methodPath: input.methodPath,
        methodVersion: input.version as string | undefined,
        versioningOptions: input.versioning,
      },
      requestMethod,
    );
  }
}

/** `@UseFilters()` of a controller class or a handler. */
export function readFilters(target: object): unknown[] {
  return (Reflect.getMetadata(EXCEPTION_FILTERS_METADATA, target) as unknown[] | undefined) ?? [];
}
