/**
 * The few shapes of `@opentelemetry/api` this module uses, declared here so
 * that the published type declarations never reference the optional peer: an
 * app without it must still compile.
 */
export type Attributes = Record<string, string | number | boolean>;

export interface Counter {
  add(value: number, attributes?: Attributes): void;
}

export interface Histogram {
  record(value: number, attributes?: Attributes): void;
}

/** An observable gauge, as the meter hands it out (observed through a batch callback). */
export type Observable = object;

export interface BatchObservableResult {
  observe(observable: Observable, value: number, attributes?: Attributes): void;
}

export type BatchObservableCallback = (result: BatchObservableResult) => void;

interface InstrumentOptions {
  description?: string;
  unit?: string;
  advice?: { explicitBucketBoundaries?: number[] };
}

export interface Meter {
  createCounter(name: string, options?: InstrumentOptions): Counter;
  createHistogram(name: string, options?: InstrumentOptions): Histogram;
  createObservableGauge(name: string, options?: InstrumentOptions): Observable;
  addBatchObservableCallback(callback: BatchObservableCallback, observables: Observable[]): void;
  removeBatchObservableCallback(callback: BatchObservableCallback, observables: Observable[]): void;
}
