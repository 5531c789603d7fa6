/*
 * About 200 lines: the one recorder every hook point calls (a handful of one-line methods),
 * kept together so the hit path's cost with no SDK can be read in one place.
 */
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Attributes, Counter, Histogram, Meter } from './otel-types';
import { readHttpCode } from '../discovery/nest-internals';
import type { PrecomputedHandler } from '../discovery/precomputed-handler';
import type { Outcome } from '../engine/combination-runner';
import { HandlerActivity } from './handler-activity';
import { ATTRIBUTES, COMPUTE_BUCKETS, METER_NAME, METRICS, SERVE_BUCKETS } from './metric-names';
import { loadMeter } from './otel-meter';

interface Instruments {
  readonly hits: Counter;
  readonly liveAnswers: Counter;
  readonly staleAnswers: Counter;
  readonly refreshes: Counter;
  readonly failures: Counter;
  readonly computeDuration: Histogram;
  readonly serveDuration: Histogram;
}

export type ServingPath = 'interceptor' | 'early';

/**
 * The one recorder of what the module does: the status page reads its
 * per-handler activity, and when the app registered an OpenTelemetry SDK it
 * also emits counters and histograms. With no SDK (or no `@opentelemetry/api`
 * installed) each call is a field increment and a return.
 */
@Injectable()
export class PrecomputeMetrics implements OnModuleInit {
  private readonly activities = new WeakMap<PrecomputedHandler, HandlerActivity>();
  /** Attributes per handler, built once: the hit path allocates nothing. */
  private readonly attributes = new WeakMap<PrecomputedHandler, Attributes>();
  /** Hit attributes per handler, by status and path. */
  private readonly hitAttributes = new WeakMap<PrecomputedHandler, Map<number, Attributes>>();
  private instruments?: Instruments;
  /** The meter, once an SDK is registered; the gauges register on it. */
  meter?: Meter;

  async onModuleInit(): Promise<void> {
    this.meter = await loadMeter(METER_NAME);
    if (this.meter) this.instruments = createInstruments(this.meter);
  }

  /** A start time for `hit()`: 0 when nothing measures durations. */
  now(): number {
    return this.instruments ? performance.now() : 0;
  }

  activity(handler: PrecomputedHandler): HandlerActivity {
    let activity = this.activities.get(handler);
    if (!activity) {
      activity = new HandlerActivity(successStatus(handler));
      this.activities.set(handler, activity);
    }
    return activity;
  }

  /**
   * A hit answered from the store, with the status it answered: 304 when the
   * client's copy is current, a stored 4xx answer's, or undefined for the
   * route's own (200, or its `@HttpCode()`).
   */
  hit(handler: PrecomputedHandler, path: ServingPath, status: number | undefined, startedAt: number): void {
    const activity = this.activity(handler);
    const answered = status ?? activity.successStatus;
    if (answered === 304) activity.notModified++;
    else if (path === 'early') activity.early++;
    else activity.cached++;
    activity.byStatus[answered] = (activity.byStatus[answered] ?? 0) + 1;
    const instruments = this.instruments;
    if (!instruments) return;
    const attributes = this.hitAttributesOf(handler, path, answered);
    instruments.hits.add(1, attributes);
    instruments.serveDuration.record((performance.now() - startedAt) / 1000, attributes);
  }

  /** A request for a combination the store does not hold, answered by the handler. */
  liveAnswer(handler: PrecomputedHandler): void {
    this.activity(handler).live++;
    this.instruments?.liveAnswers.add(1, this.attributesOf(handler));
  }

  /** A hit that served an entry past its TTL or of an older version. */
  staleServed(handler: PrecomputedHandler): void {
    this.activity(handler).stale++;
    this.instruments?.staleAnswers.add(1, this.attributesOf(handler));
  }

  runStarted(handler: PrecomputedHandler, toCompute: number): void {
    this.activity(handler).run = { startedAt: Date.now(), toCompute, done: 0 };
  }

  runFinished(handler: PrecomputedHandler): void {
    this.activity(handler).run = undefined;
  }

  /**
   * One combination computed and stored; `startedAt` is `performance.now()`
   * before the first attempt. `status`: a 4xx answer's (an answer, not a failure).
   */
  computed(handler: PrecomputedHandler, key: string, status: number | undefined, startedAt: number): void {
    this.activity(handler).succeeded(key);
    if (!this.instruments) return;
    const attributes = status === undefined ? this.attributesOf(handler) : { ...this.attributesOf(handler), [ATTRIBUTES.statusCode]: status };
    this.instruments.computeDuration.record((performance.now() - startedAt) / 1000, attributes);
  }

  /** One combination failed after its retries. */
  failed(handler: PrecomputedHandler, key: string, error: unknown, startedAt: number): void {
    this.activity(handler).failed(key, errorText(error), Date.now());
    if (!this.instruments) return;
    const attributes = { ...this.attributesOf(handler), [ATTRIBUTES.errorType]: errorType(error) };
    this.instruments.failures.add(1, attributes);
    this.instruments.computeDuration.record((performance.now() - startedAt) / 1000, attributes);
  }

  /**
   * A refresh ended: what each combination came to. Only computations count:
   * a hand edit kept, a key another process refreshed, or shutting down do not.
   */
  refreshed(reason: string, results: ReadonlyArray<{ readonly handler: PrecomputedHandler; readonly outcome: Outcome }>, durationMs: number): void {
    const byHandler = new Map<PrecomputedHandler, { computed: number; failed: number }>();
    for (const { handler, outcome } of results) {
      if ('skipped' in outcome || ('entry' in outcome && outcome.elsewhere)) continue;
      const counts = byHandler.get(handler) ?? { computed: 0, failed: 0 };
      if ('error' in outcome) counts.failed++;
      else counts.computed++;
      byHandler.set(handler, counts);
    }
    const at = Date.now();
    for (const [handler, counts] of byHandler) {
      this.activity(handler).lastRefresh = { at, reason, ...counts, durationMs };
      this.instruments?.refreshes.add(counts.computed + counts.failed, { ...this.attributesOf(handler), [ATTRIBUTES.refreshReason]: reason });
    }
  }

  private hitAttributesOf(handler: PrecomputedHandler, path: ServingPath, status: number): Attributes {
    let variants = this.hitAttributes.get(handler);
    if (!variants) {
      variants = new Map();
      this.hitAttributes.set(handler, variants);
    }
    // A handler answers with a few statuses only: one attribute set each, built on first use
    const variant = status * 2 + (path === 'early' ? 1 : 0);
    let attributes = variants.get(variant);
    if (!attributes) {
      attributes = { ...this.attributesOf(handler), [ATTRIBUTES.servingPath]: path, [ATTRIBUTES.statusCode]: status };
      variants.set(variant, attributes);
    }
    return attributes;
  }

  private attributesOf(handler: PrecomputedHandler): Attributes {
    let attributes = this.attributes.get(handler);
    if (!attributes) {
      attributes = routeAttributes(handler);
      this.attributes.set(handler, attributes);
    }
    return attributes;
  }
}

/** `http.route` is the route template (`/stock/:warehouse`), as in OTel's HTTP conventions. */
export function routeAttributes(handler: PrecomputedHandler): Attributes {
  return { [ATTRIBUTES.route]: handler.keys.route.path, [ATTRIBUTES.method]: 'GET', [ATTRIBUTES.handler]: handler.name };
}

/** The status of a hit on a stored 2xx answer: the route's `@HttpCode()` or 200, as discovery read it. */
function successStatus(handler: PrecomputedHandler): number {
  return handler.early?.status ?? readHttpCode(handler.handler) ?? 200;
}

function createInstruments(meter: Meter): Instruments {
  return {
    hits: meter.createCounter(METRICS.hits, { description: 'Answers served from the store, without calling the handler', unit: '{response}' }),
    liveAnswers: meter.createCounter(METRICS.liveAnswers, {
      description: 'Requests for a combination the store did not hold, answered by the handler',
      unit: '{response}',
    }),
    staleAnswers: meter.createCounter(METRICS.staleAnswers, { description: 'Hits that served a stale entry while it was refreshed', unit: '{response}' }),
    refreshes: meter.createCounter(METRICS.refreshes, { description: 'Combinations recomputed by a refresh (stale, new version, on demand)', unit: '{combination}' }),
    failures: meter.createCounter(METRICS.failures, { description: 'Computations that failed after their retries', unit: '{combination}' }),
    computeDuration: meter.createHistogram(METRICS.computeDuration, {
      description: 'Time to compute and store one combination, retries included',
      unit: 's',
      advice: { explicitBucketBoundaries: COMPUTE_BUCKETS },
    }),
    serveDuration: meter.createHistogram(METRICS.serveDuration, {
      description: 'Time this module spends answering a hit, from the request reaching it to the body handed over',
      unit: 's',
      advice: { explicitBucketBoundaries: SERVE_BUCKETS },
    }),
  };
}

export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function errorType(error: unknown): string {
  return error instanceof Error ? error.constructor.name : '_OTHER';
}
