import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { PrecomputeModuleOptions } from './interfaces/precompute-module-options.interface';

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN,
  OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<PrecomputeModuleOptions>({ moduleName: 'Precompute' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
