import { RequestMethod, VERSION_NEUTRAL, VersioningType, type Type, type VersioningOptions } from '@nestjs/common';
import type { RouteVersion } from '../keys/route-version';
import {
  NestRoutePaths,
  readControllerPaths,
  readControllerVersion,
  readHandlerRoutes,
  readHost,
  readModulePath,
} from './nest-internals';

/** One path Nest registered for one handler and one of its versions. */
export interface NestRoute {
  readonly controller: Type;
  readonly methodName: string;
  readonly requestMethod: RequestMethod;
  /** The path as registered: global prefix (unless excluded), RouterModule path, URI version, controller and method paths. */
  readonly path: string;
  readonly version: RouteVersion;
  /** Registered without a version filter (see `RouteCandidate.unconstrained`). */
  readonly unconstrained: boolean;
  /** `@Controller({ host })`, when bound to hosts. */
  readonly host?: unknown;
}

/** A controller as Nest's container holds it: its class and the module it is declared in. */
export interface ControllerSource {
  readonly controller: Type;
  readonly moduleClass?: object;
}

export interface RouteContext {
  readonly globalPrefix: string;
  readonly versioning?: VersioningOptions;
  readonly applicationId: string;
  readonly paths: NestRoutePaths;
}

/**
 * Every route of every controller, built from the same metadata and with the
 * same `RoutePathFactory` as Nest's `RoutesResolver` and `RouterExplorer`:
 * one entry per path and version, so two versions of one path, or two
 * RouterModule modules with the same controller path, stay apart.
 */
export function collectNestRoutes(controllers: readonly ControllerSource[], context: RouteContext): NestRoute[] {
  const routes: NestRoute[] = [];
  const globalPrefix = context.globalPrefix && !context.globalPrefix.startsWith('/') ? `/${context.globalPrefix}` : context.globalPrefix;
  for (const { controller, moduleClass } of controllers) {
    const modulePath = readModulePath(moduleClass, context.applicationId);
    const controllerVersion = readControllerVersion(controller, context.versioning);
    const host = readHost(controller);
    for (const handler of readHandlerRoutes(controller.prototype as object)) {
      const version = handler.version ?? controllerVersion;
      const versions: RouteVersion[] = context.versioning && version !== undefined ? [version].flat() : [undefined];
      const unconstrained =
        context.versioning?.type !== VersioningType.URI && (version === undefined || version === VERSION_NEUTRAL);
      for (const ctrlPath of readControllerPaths(controller)) {
        for (const methodPath of handler.paths) {
          for (const one of versions) {
            const paths = context.paths.create(
              { globalPrefix, modulePath, ctrlPath, methodPath, version: one, versioning: context.versioning },
              handler.requestMethod,
            );
            for (const path of paths) {
              routes.push({
                controller,
                methodName: handler.methodName,
                requestMethod: handler.requestMethod,
                path,
                version: one,
                unconstrained,
                ...(host === undefined ? {} : { host }),
              });
            }
          }
        }
      }
    }
  }
  return routes;
}

/** Whether a route may take GET or HEAD requests (a rival of a precomputed route). */
export function answersGet(route: NestRoute): boolean {
  return route.requestMethod === RequestMethod.GET || route.requestMethod === RequestMethod.HEAD || route.requestMethod === RequestMethod.ALL;
}
