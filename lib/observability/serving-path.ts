/** What decides which path answers a handler's hits. */
export interface ServingFacts {
  /** The module's `earlyHits` option. */
  readonly earlyHits: boolean;
  /** Discovery found nothing that must run on a hit (the handler has an early answer). */
  readonly eligible: boolean;
  /** Hits can send the prebuilt body: no interceptor but serializers, no `@Render`/`@Redirect`. */
  readonly sendsPrebuiltBody: boolean;
  readonly guarded: boolean;
  readonly hostBound: boolean;
  readonly versioned: boolean;
}

export interface ServingPathStatus {
  readonly path: 'early' | 'interceptor';
  readonly why: string;
}

/** Which path serves a handler's hits, and why, in words an operator can act on. */
export function servingPath(facts: ServingFacts): ServingPathStatus {
  if (facts.earlyHits && facts.eligible) {
    return { path: 'early', why: 'earlyHits is on and nothing else must run on a hit: answered before Nest\'s router' };
  }
  if (!facts.earlyHits && facts.eligible) {
    return { path: 'interceptor', why: 'earlyHits is off (this handler could use it: nothing else must run on a hit)' };
  }
  const reasons: string[] = [];
  if (facts.guarded) reasons.push('guards must run');
  if (!facts.sendsPrebuiltBody) reasons.push('other interceptors or a response override (@Render, @Redirect) must run');
  if (facts.hostBound) reasons.push('its controller is bound to a host');
  if (facts.versioned) reasons.push('the app uses versioning');
  const because = reasons.length ? reasons.join('; ') : 'Nest\'s pipeline must run';
  return { path: 'interceptor', why: facts.earlyHits ? `not eligible for earlyHits: ${because}` : `earlyHits is off; ${because}` };
}
