import {
  ClassSerializerInterceptor,
  Inject,
  Injectable,
  RequestMethod,
  type NestInterceptor,
  type PipeTransform,
  type Type,
} from '@nestjs/common';
import { ApplicationConfig, DiscoveryService, MetadataScanner, ModuleRef } from '@nestjs/core';
import type { ClassValidatorLike } from '../domains/dto-domains';
import { resolveDomains } from '../domains/parameter-domains';
import { CacheKeyBuilder, joinRoutePath } from '../keys/cache-key';
import { assertWithinLimit, countCombinations } from '../plan/combinations';
import { messages } from '../precompute.messages';
import { PRECOMPUTE_OPTIONS, type ResolvedOptions } from '../precompute.options';
import { PrecomputeInterceptor } from '../serving/precompute.interceptor';
import {
  hasResponseOverride,
  readGuards,
  readHeaders,
  readHost,
  readHttpCode,
  readInterceptors,
  readPath,
  readPipes,
  readFilters,
  readRequestMethod,
  readRouteArguments,
  type PipeLike,
} from './nest-internals';
import { PrecomputeMetadataAccessor } from './precompute-metadata.accessor';
import type { PrecomputedHandler } from './precomputed-handler';

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
    @Inject(PRECOMPUTE_OPTIONS) private readonly options: ResolvedOptions,
  ) {}

  async explore(): Promise<PrecomputedHandler[]> {
    const classValidator = await loadOptional<ClassValidatorLike>('class-validator');
    const handlers: PrecomputedHandler[] = [];
    const problems: string[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as Type | undefined;
      if (!controller || wrapper.isAlias || typeof controller !== 'function') continue;
      for (const methodName of this.scanner.getAllMethodNames(controller.prototype)) {
        const handler = controller.prototype[methodName] as Function;
        const options = this.accessor.getOptions(handler);
        if (!options) continue;
        const name = `${controller.name}.${methodName}`;
        if (!wrapper.isDependencyTreeStatic() || !wrapper.instance) {
          problems.push(messages.requestScoped(name));
          continue;
        }
        const described = await this.describe(controller, methodName, handler, wrapper.instance as object, options, classValidator);
        if (typeof described === 'string' || Array.isArray(described)) problems.push(...[described].flat());
        else handlers.push(described);
      }
    }
    problems.push(...collisions(handlers));
    if (problems.length) throw new Error(messages.cannotPrecompute(problems.length, problems));
    return handlers;
  }

  private async describe(
    controller: Type,
    methodName: string,
    handler: Function,
    instance: object,
    options: PrecomputedHandler['options'],
    classValidator: ClassValidatorLike | undefined,
  ): Promise<PrecomputedHandler | string | string[]> {
    const name = `${controller.name}.${methodName}`;
    const method = readRequestMethod(handler) ?? RequestMethod.GET;
    if (method !== RequestMethod.GET) return messages.notGet(name, RequestMethod[method]);
    const optionProblem = validatePrecomputedOptions(name, options);
    if (optionProblem) return optionProblem;
    const domains = resolveDomains({
      handler: name,
      routeArgs: readRouteArguments(controller, methodName),
      paramtypes: (Reflect.getMetadata('design:paramtypes', controller.prototype, methodName) as unknown[]) ?? [],
      explicit: options.params ?? {},
      classValidator,
    });
    if (domains.problems.length) return [...domains.problems];
    try {
      assertWithinLimit(name, domains.params, this.options.maxCombinations);
    } catch (error) {
      return (error as Error).message;
    }
    const path = joinRoutePath(this.config.getGlobalPrefix(), readPath(controller), readPath(handler));
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
    const guarded =
      this.config.getGlobalGuards().length + this.config.getGlobalRequestGuards().length + readGuards(controller).length + readGuards(handler).length > 0;
    const early =
      sendsPrebuiltBody && !guarded && readHost(controller) === undefined && this.config.getVersioning() === undefined
        ? { status: readHttpCode(handler) ?? 200, headers: readHeaders(handler) }
        : undefined;
    return {
      name,
      controller,
      methodName,
      handler,
      instance,
      options,
      keys: new CacheKeyBuilder({ method: 'GET', path }, domains.params),
      args: await Promise.all(
        domains.args.map(async (arg) => ({ ...arg, pipes: await this.instances<PipeTransform>(arg.pipes) })),
      ),
      pipes: await this.instances<PipeTransform>([
        ...this.config.getGlobalPipes(),
        ...readPipes(controller),
        ...readPipes(handler),
      ]),
      serializers: serializers.reverse(),
      sendsPrebuiltBody,
      filtered:
        this.config.getGlobalFilters().length + this.config.getGlobalRequestFilters().length + readFilters(controller).length + readFilters(handler).length > 0,
      early,
      total: countCombinations(domains.params),
    };
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

function collisions(handlers: readonly PrecomputedHandler[]): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const handler of handlers) {
    const route = handler.keys.keyOf(handler.keys.params.map(() => undefined)).split('?')[0];
    const first = seen.get(route);
    if (first) problems.push(messages.keyCollision(route, first, handler.name));
    else seen.set(route, handler.name);
  }
  return problems;
}

function validatePrecomputedOptions(name: string, options: PrecomputedHandler['options']): string | undefined {
  for (const field of ['concurrency', 'retries', 'timeoutMs'] as const) {
    const value = options[field];
    if (value === undefined) continue;
    const minimum = field === 'retries' ? 0 : 1;
    if (!Number.isInteger(value) || value < minimum) {
      return messages.invalidPrecomputedOption(name, field, `must be a whole number of at least ${minimum}, got ${value}`);
    }
  }
  if (options.ttlSeconds !== undefined && !(typeof options.ttlSeconds === 'number' && options.ttlSeconds > 0)) {
    return messages.invalidPrecomputedOption(name, 'ttlSeconds', `must be a number of seconds above 0, got ${String(options.ttlSeconds)}`);
  }
  return undefined;
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
