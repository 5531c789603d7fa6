/*
 * Over 200 lines: discovery reads every level a hit depends on (routes, domains, pipes,
 * interceptors, guards, filters, the serving path) in one pass per handler; each rule it
 * applies lives in a file of its own (handler-routes, handler-checks, validation-check,
 * nest-routes, serving/serving-path).
 */
import {
  ClassSerializerInterceptor,
  Inject,
  Injectable,
  RequestMethod,
  type NestInterceptor,
  type PipeTransform,
  type Type,
} from '@nestjs/common';
import { ApplicationConfig, DiscoveryService, MetadataScanner, ModuleRef, ModulesContainer } from '@nestjs/core';
import type { ClassValidatorLike } from '../domains/dto-domains';
import { PathTemplate } from '../keys/path-template';
import { compileIgnoredQueryParams } from '../keys/query-ignore';
import { versionSelectorOf, type VersionSelector } from '../keys/route-version';
import { PrecomputeLogger } from '../precompute.logger';
import { resolveHandlerDomains } from '../plan/resolve-handler-domains';
import { messages } from '../precompute.messages';
import { PRECOMPUTE_OPTIONS, type ResolvedOptions } from '../precompute.options';
import { MiddlewareRecorder } from '../serving/middleware-recorder';
import { PrecomputeInterceptor } from '../serving/precompute.interceptor';
import {
  hasResponseOverride,
  readGuards,
  readHeaders,
  readHost,
  readHttpCode,
  readInterceptors,
  readPipes,
  readFilters,
  readRequestMethod,
  readRouteArguments,
  NestRoutePaths,
  type PipeLike,
} from './nest-internals';
import { collisions, hasDomainFunctions, precomputedOptionsProblem } from './handler-checks';
import { isRouteOf, perRoute } from './handler-routes';
import { answersGet, collectNestRoutes, type NestRoute } from './nest-routes';
import { PrecomputeMetadataAccessor } from './precompute-metadata.accessor';
import { PrecomputeRegistry } from './precompute.registry';
import type { PrecomputedHandler } from './precomputed-handler';
import { unvalidatedArguments } from './validation-check';

/**
 * Finds every controller handler carrying `@Precomputed()` and describes it:
 * parameters and their domains, cache keys, pipes, serializers. Handlers that
 * cannot be precomputed are all reported at once, each with how to fix it.
 */
@Injectable()
export class PrecomputeExplorer {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly accessor: PrecomputeMetadataAccessor,
    private readonly config: ApplicationConfig,
    private readonly moduleRef: ModuleRef,
    private readonly modules: ModulesContainer,
    private readonly registry: PrecomputeRegistry,
    private readonly logger: PrecomputeLogger,
    @Inject(PRECOMPUTE_OPTIONS) private readonly options: ResolvedOptions,
    private readonly recorder: MiddlewareRecorder,
  ) {}

  async explore(): Promise<PrecomputedHandler[]> {
    const classValidator = await loadOptional<ClassValidatorLike>('class-validator');
    const handlers: PrecomputedHandler[] = [];
    const problems: string[] = [];
    const wrappers = this.discovery
      .getControllers()
      .filter((wrapper) => !wrapper.isAlias && typeof wrapper.metatype === 'function');
    // Every route of the app, precomputed or not: the early path must know which other routes could take a URL
    const routes = collectNestRoutes(
      wrappers.map((wrapper) => ({ controller: wrapper.metatype as Type, moduleClass: wrapper.host?.metatype })),
      {
        globalPrefix: this.config.getGlobalPrefix(),
        versioning: this.config.getVersioning(),
        applicationId: this.modules.applicationId,
        paths: new NestRoutePaths(this.config),
      },
    );
    const selector = versionSelectorOf(this.config.getVersioning());
    for (const wrapper of wrappers) {
      const controller = wrapper.metatype as Type;
      for (const methodName of this.scanner.getAllMethodNames(controller.prototype)) {
        const handler = controller.prototype[methodName] as Function;
        const options = this.accessor.getOptions(handler);
        if (!options) continue;
        const name = `${controller.name}.${methodName}`;
        if (!wrapper.isDependencyTreeStatic() || !wrapper.instance) {
          problems.push(messages.requestScoped(name));
          continue;
        }
        const own = routes.filter((route) => route.controller === controller && route.methodName === methodName);
        if (own.length === 0) {
          problems.push(messages.noRoute(name));
          continue;
        }
        const described = await this.analyze(controller, methodName, handler, wrapper.instance as object, options, classValidator, own, selector);
        if (typeof described === 'string' || (described.length > 0 && typeof described[0] === 'string')) {
          problems.push(...([described].flat() as string[]));
        } else handlers.push(...(described as PrecomputedHandler[]));
      }
    }
    problems.push(...collisions(handlers));
    if (problems.length) throw new Error(messages.cannotPrecompute(problems.length, problems));
    for (const handler of handlers) this.logger.log(messages.servingPath(handler.name, handler.route.template.path, handler.serving));
    this.registry.useRoutes(
      routes.filter(answersGet).map((route) => ({
        template: new PathTemplate(route.path),
        version: route.version,
        unconstrained: route.unconstrained,
        target: handlers.find((handler) => handler.early && isRouteOf(handler, route)),
      })),
      selector,
    );
    return handlers;
  }

  private async analyze(
    controller: Type,
    methodName: string,
    handler: Function,
    instance: object,
    options: PrecomputedHandler['options'],
    classValidator: ClassValidatorLike | undefined,
    routes: readonly NestRoute[],
    selector: VersionSelector,
  ): Promise<PrecomputedHandler[] | string | string[]> {
    const name = `${controller.name}.${methodName}`;
    const method = readRequestMethod(handler) ?? RequestMethod.GET;
    if (method !== RequestMethod.GET) return messages.notGet(name, RequestMethod[method]);
    const optionProblem = precomputedOptionsProblem(name, options);
    if (optionProblem) return optionProblem;
    const target = { name, controller, methodName, options };
    const context = { moduleRef: this.moduleRef, route: { method: 'GET', path: routes[0].path }, maxCombinations: this.options.maxCombinations, classValidator };
    const domains = await resolveHandlerDomains(target, context);
    if (domains.problems.length) return [...domains.problems];
    if (domains.failure) this.logger.error(domains.failure);
    const interceptors = [
      ...this.config.getGlobalInterceptors(),
      ...readInterceptors(controller),
      ...readInterceptors(handler),
    ].filter((interceptor) => interceptor !== PrecomputeInterceptor && !(interceptor instanceof PrecomputeInterceptor));
    const serializers = await this.instances<NestInterceptor>(interceptors.filter(isClassSerializer));
    const sendsPrebuiltBody =
      serializers.length === interceptors.length &&
      this.config.getGlobalRequestInterceptors().length === 0 &&
      !hasResponseOverride(handler);
    const host = readHost(controller);
    const facts = {
      guards: this.config.getGlobalGuards().length + this.config.getGlobalRequestGuards().length + readGuards(controller).length + readGuards(handler).length,
      // A subclass of ClassSerializerInterceptor serializes (applied when computing) and may do more on each request (headers, groups by user): it must run
      otherInterceptors: interceptors.filter((interceptor) => !isPlainClassSerializer(interceptor)).length + this.config.getGlobalRequestInterceptors().length,
      responseOverride: hasResponseOverride(handler),
      // Custom versioning is decided by the app's extractor inside the router, and a host by the router's host filter:
      // neither can be decided exactly before the router, so those handlers are served by the interceptor only
      versionOutsidePath: selector.type === 'custom',
      host: host !== undefined,
    };
    const levelPipes: PipeLike[] = [...this.config.getGlobalPipes(), ...readPipes(controller), ...readPipes(handler)];
    const unvalidated = unvalidatedArguments(domains.args, levelPipes);
    if (unvalidated.length) this.logger.warn(messages.missingValidation(name, unvalidated));
    const common = {
      controller,
      methodName,
      handler,
      instance,
      options,
      args: await Promise.all(
        domains.args.map(async (arg) => ({ ...arg, pipes: await this.instances<PipeTransform>(arg.pipes) })),
      ),
      pipes: await this.instances<PipeTransform>(levelPipes),
      serializers: serializers.reverse(),
      sendsPrebuiltBody,
      filtered:
        this.config.getGlobalFilters().length + this.config.getGlobalRequestFilters().length + readFilters(controller).length + readFilters(handler).length > 0,
    };
    const ignored = compileIgnoredQueryParams([...(this.options.ignoreQueryParams ?? []), ...(options.ignoreQueryParams ?? [])]);
    const source = { target, context, dynamic: hasDomainFunctions(options) };
    return perRoute(common, {
      name,
      routes,
      selector,
      host,
      reply: { status: readHttpCode(handler) ?? 200, headers: readHeaders(handler) },
      earlyHits: this.options.earlyHits,
      facts,
      mounts: this.recorder.mounts,
      domains,
      source,
      ignored,
    });
  }

  /** Pipe and interceptor classes in metadata become the instances Nest made for them. */
  private async instances<T>(items: readonly unknown[]): Promise<T[]> {
    const result: T[] = [];
    for (const item of items) {
      if (typeof item !== 'function') {
        result.push(item as T);
        continue;
      }
      const type = item as Type<T>;
      let instance: T | undefined;
      try {
        instance = this.moduleRef.get(type, { strict: false });
      } catch {
        instance = await this.moduleRef.create(type);
      }
      result.push(instance as T);
    }
    return result;
  }
}

function isClassSerializer(interceptor: unknown): boolean {
  return (
    interceptor instanceof ClassSerializerInterceptor ||
    (typeof interceptor === 'function' &&
      (interceptor === ClassSerializerInterceptor || interceptor.prototype instanceof ClassSerializerInterceptor))
  );
}

/** ClassSerializerInterceptor itself, not a subclass: it does nothing on a request but serialize. */
function isPlainClassSerializer(interceptor: unknown): boolean {
  return interceptor === ClassSerializerInterceptor || (interceptor instanceof ClassSerializerInterceptor && interceptor.constructor === ClassSerializerInterceptor);
}

/** An optional peer dependency, or undefined when the app does not have it. */
async function loadOptional<T>(name: string): Promise<T | undefined> {
  try {
    const module = (await import(name)) as T & { default?: T };
    // Loaded from CommonJS, the named exports may sit on `default` only
    return module.default && typeof module.default === 'object' ? { ...module.default, ...module } : module;
  } catch {
    return undefined;
  }
}
