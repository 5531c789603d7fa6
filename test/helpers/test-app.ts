import { Module, type INestApplication, type LoggerService, type ModuleMetadata } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { EventEmitter } from 'node:events';
import { PrecomputeModule, type PrecomputeModuleOptions } from '../../lib';
import { DEFAULT_WAIT_MS, lastLines } from './waits';

/** The HTTP adapters every HTTP suite runs on. */
export const ADAPTERS = ['express', 'fastify'] as const;
export type AdapterName = (typeof ADAPTERS)[number];

export interface TestAppOptions extends Pick<ModuleMetadata, 'controllers' | 'providers' | 'imports'> {
  readonly precompute: PrecomputeModuleOptions | string;
  readonly adapter?: AdapterName;
  /** Called before init, e.g. to add global pipes. */
  readonly configure?: (app: INestApplication) => void;
  /** Called after init, before the server is ready (e.g. a Fastify hook added once Nest's routes exist). */
  readonly afterInit?: (app: INestApplication) => void;
  readonly logger?: LoggerService | false;
}

/** A fresh Nest app (Express unless told) with PrecomputeModule and the given controllers, initialized. */
export async function createTestApp(options: TestAppOptions): Promise<INestApplication> {
  @Module({
    imports: [PrecomputeModule.forRoot(options.precompute as PrecomputeModuleOptions), ...(options.imports ?? [])],
    controllers: options.controllers ?? [],
    providers: options.providers ?? [],
  })
  class TestAppModule {}

  const moduleRef = await Test.createTestingModule({ imports: [TestAppModule] }).compile();
  const logger = options.logger ?? false;
  const app =
    options.adapter === 'fastify'
      ? moduleRef.createNestApplication(new FastifyAdapter(), { logger })
      : moduleRef.createNestApplication({ logger });
  options.configure?.(app);
  await app.init();
  options.afterInit?.(app);
  if (options.adapter === 'fastify') await (app.getHttpAdapter().getInstance() as { ready(): Promise<void> }).ready();
  return app;
}

/** A logger that keeps every line, to assert on what the module logs. */
export class MemoryLogger implements LoggerService {
  readonly lines: string[] = [];
  private readonly events = new EventEmitter();
  log(message: unknown, context?: string): void {
    this.add(`LOG [${context}] ${String(message)}`);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.add(`ERROR [${String(rest[rest.length - 1])}] ${String(message)}`);
  }
  warn(message: unknown, context?: string): void {
    this.add(`WARN [${context}] ${String(message)}`);
  }
  /**
   * Resolves once a line containing `text` is logged (or at once if one was);
   * rejects after `timeoutMs` saying what it waited for and the last lines seen.
   */
  waitFor(text: string, timeoutMs = DEFAULT_WAIT_MS): Promise<string> {
    const found = this.lines.find((line) => line.includes(text));
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const listener = (line: string) => {
        if (!line.includes(text)) return;
        this.events.off('line', listener);
        clearTimeout(timer);
        resolve(line);
      };
      const timer = setTimeout(() => {
        this.events.off('line', listener);
        reject(new Error(`waited ${timeoutMs} ms for a log line containing "${text}"; last lines:\n${lastLines(this.lines)}`));
      }, timeoutMs);
      this.events.on('line', listener);
    });
  }
  private add(line: string): void {
    this.lines.push(line);
    this.events.emit('line', line);
  }
  debug(): void {}
  verbose(): void {}
  /** Lines logged with the Precompute context. */
  precompute(): string[] {
    return this.lines.filter((line) => line.includes('[Precompute]'));
  }
}
