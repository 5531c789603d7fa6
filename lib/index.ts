export { Precomputed } from './decorators/precomputed.decorator';
export type {
  InvalidFilePolicy,
  PrecomputeModuleOptions,
  StartupMode,
} from './interfaces/precompute-module-options.interface';
export type { HandlerStatus, PrecomputeSummary } from './interfaces/precompute-status.interface';
export type {
  CombinationsFunction,
  DomainFunction,
  DomainValue,
  ParamCombination,
  ParamDomain,
  PrecomputedOptions,
} from './interfaces/precomputed-options.interface';
export { PrecomputeModule } from './precompute.module';
export { PrecomputeService, type PrecomputeTarget } from './precompute.service';
export type { StatusPageOptions } from './status-page/status-page-options';
export type { BodyKind, CacheEntry, EncodedResponse, FileHeaders } from './storage/cache-entry';
export { JsonFileStore, type JsonFileStoreOptions } from './storage/json-file/json-file.store';
export { PRECOMPUTE_STORE, type Claim, type PrecomputeStore, type StoreContext } from './storage/precompute-store.interface';
export { RedisStore, type RedisStoreOptions } from './storage/redis/redis.store';
