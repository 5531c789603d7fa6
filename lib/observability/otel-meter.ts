import type { Meter } from './otel-types';

interface OtelApi {
  metrics: { getMeter(name: string, version?: string): Meter };
  createNoopMeter(): Meter;
}

/**
 * The app's meter, or undefined when `@opentelemetry/api` is not installed or
 * no SDK is registered: then nothing is measured at all. The API hands out its
 * no-op meter until an SDK registers, and does not swap meters later, so the
 * SDK must be started before the Nest app is created (as OTel's docs say).
 */
export async function loadMeter(name: string): Promise<Meter | undefined> {
  let api: OtelApi;
  try {
    const loaded = (await import('@opentelemetry/api')) as unknown as OtelApi & { default?: OtelApi };
    // Loaded from CommonJS, the named exports may sit on `default` only
    api = loaded.metrics ? loaded : (loaded.default as OtelApi);
  } catch {
    return undefined;
  }
  const meter = api.metrics.getMeter(name);
  return meter === api.createNoopMeter() ? undefined : meter;
}
