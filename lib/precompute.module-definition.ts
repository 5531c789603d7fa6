import { ConfigurableModuleBuilder, Injectable, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, ModulesContainer } from '@nestjs/core';
import { declaresImportOf } from './discovery/nest-module-imports';
import type { PrecomputeModuleOptions } from './interfaces/precompute-module-options.interface';
import { messages } from './precompute.messages';

/**
 * Provided by every PrecomputeModule import. Two imports in one app would each
 * compute every combination into a store of their own (issue 13): the first
 * module to initialize counts them and fails startup saying what to do instead.
 * Counting happens at init, not in forRoot(), because one process may build many
 * apps (tests), each importing the module once.
 */
@Injectable()
class SingleImportCheck implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly modules: ModulesContainer,
  ) {}

  onModuleInit(): void {
    const hosts = this.discovery
      .getProviders()
      .filter((wrapper) => wrapper.token === SingleImportCheck)
      .map((wrapper) => wrapper.host);
    if (hosts.length < 2) return;
    const importers = new Set<string>();
    for (const module of this.modules.values()) {
      const host = hosts[0];
      if (host && declaresImportOf(module.metatype, host.metatype)) importers.add(module.metatype.name);
    }
    throw new Error(messages.importedTwice(hosts.length, [...importers]));
  }
}

const built = new ConfigurableModuleBuilder<PrecomputeModuleOptions>({ moduleName: 'Precompute' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
    providers: [...(definition.providers ?? []), SingleImportCheck],
  }))
  .build();

export const { MODULE_OPTIONS_TOKEN, OPTIONS_TYPE } = built;

/** The builder's class, with a forRoot() that says what to pass when given nothing. */
export const ConfigurableModuleClass = class extends built.ConfigurableModuleClass {
  static override forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    if (options === undefined || options === null) throw new Error(messages.forRootWithoutOptions());
    return super.forRoot(options);
  }
} as typeof built.ConfigurableModuleClass;
