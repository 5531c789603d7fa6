import type { INestApplication } from '@nestjs/common';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { messages } from '../precompute.messages';

interface NestCoreLike {
  NestApplication: { prototype: { listen(this: INestApplication, ...args: unknown[]): Promise<unknown> } };
}

/**
 * Runs an app's own compiled entry (its main.js), so that everything main.ts
 * configures applies (global prefix, versioning, global pipes, interceptors,
 * filters, `app.use`), up to its `app.listen()`. That call never opens the
 * port: it initializes the app (which runs the startup precompute) and
 * resolves this function with the app, while the entry's own `await
 * app.listen()` never returns, so nothing after it runs.
 *
 * `listen` is intercepted on the `@nestjs/core` the entry itself loads,
 * resolved from the entry's location: a CLI installed elsewhere would
 * otherwise patch a copy the app never uses.
 */
export async function runEntryUntilListen(file: string): Promise<INestApplication> {
  if (!existsSync(file)) throw new Error(messages.entryMissing(file));
  let corePath: string;
  try {
    corePath = createRequire(file).resolve('@nestjs/core');
  } catch {
    throw new Error(`Cannot find @nestjs/core from ${file}: --entry takes the compiled main file of a Nest app (e.g. dist/main.js).`);
  }
  const core = (await import(pathToFileURL(corePath).href)) as NestCoreLike;
  const prototype = core.NestApplication.prototype;
  const listen = Object.getOwnPropertyDescriptor(prototype, 'listen');
  let cleanup = (): void => undefined;
  try {
    return await new Promise<INestApplication>((resolve, reject) => {
      const notListening = (): void => reject(new Error(messages.entryNotListening(file)));
      const failed = (reason: unknown): void => reject(reason instanceof Error ? reason : new Error(String(reason)));
      // The entry's bootstrap() is usually not awaited: its failure arrives as an unhandled rejection
      process.once('beforeExit', notListening);
      process.on('unhandledRejection', failed);
      cleanup = () => {
        process.off('beforeExit', notListening);
        process.off('unhandledRejection', failed);
        if (listen) Object.defineProperty(prototype, 'listen', listen);
      };
      Object.defineProperty(prototype, 'listen', {
        configurable: true,
        writable: true,
        value(this: INestApplication): Promise<never> {
          this.init().then(() => resolve(this), failed);
          return new Promise<never>(() => undefined);
        },
      });
      import(pathToFileURL(file).href).catch(failed);
    });
  } finally {
    cleanup();
  }
}
