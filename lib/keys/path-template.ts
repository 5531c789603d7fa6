type Segment = { readonly kind: 'static'; readonly text: string } | { readonly kind: 'param'; readonly name: string } | { readonly kind: 'complex' };

const PARAM = /^:([A-Za-z_$][\w$]*)$/;
const SPECIAL = /[:*{}()?+!\\]/;

/**
 * A route path as Nest registered it (`/api/v1/stores/:store`), matched the
 * strict way: `match()` accepts only the canonical spelling of a URL (same
 * case, no trailing slash, each param one non-empty segment), which every
 * router routes the same way. `mayMatch()` is the generous opposite, for
 * conflicts: whether a router *might* send that URL to this route (any case,
 * a trailing slash, wildcards and optional parts by their static prefix).
 */
export class PathTemplate {
  private readonly segments: readonly Segment[];
  /** Only static and `:param` segments: a template the strict matcher understands. */
  readonly simple: boolean;

  constructor(readonly path: string) {
    this.segments = path.split('/').map((text): Segment => {
      const param = PARAM.exec(text);
      if (param) return { kind: 'param', name: param[1] };
      return SPECIAL.test(text) ? { kind: 'complex' } : { kind: 'static', text };
    });
    this.simple = this.segments.every((segment) => segment.kind !== 'complex');
    this.isStatic = this.segments.every((segment) => segment.kind === 'static');
  }

  /** The template has no params: its path is the only URL it matches. */
  readonly isStatic: boolean;

  /** The route params of a canonical URL path of this route (decoded), or undefined. */
  match(pathname: string): Record<string, string> | undefined {
    if (!this.simple) return undefined;
    const parts = pathname.split('/');
    if (parts.length !== this.segments.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < parts.length; i++) {
      const segment = this.segments[i];
      if (segment.kind === 'static') {
        if (segment.text !== parts[i]) return undefined;
      } else if (segment.kind === 'param') {
        if (parts[i].length === 0) return undefined;
        try {
          params[segment.name] = decodeURIComponent(parts[i]);
        } catch {
          return undefined;
        }
      }
    }
    return params;
  }

  /** Whether some router setting (case-insensitive, trailing slash, patterns) might route `pathname` here. */
  mayMatch(pathname: string): boolean {
    const parts = (pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname).toLowerCase().split('/');
    for (let i = 0; i < this.segments.length; i++) {
      const segment = this.segments[i];
      if (segment.kind === 'complex') return true;
      if (i >= parts.length) return false;
      if (segment.kind === 'static' ? segment.text.toLowerCase() !== parts[i] : parts[i].length === 0) return false;
    }
    return parts.length === this.segments.length;
  }

  /** Whether some URL might be routed to both templates (as `mayMatch`, template against template). */
  overlaps(other: PathTemplate): boolean {
    const length = Math.max(this.segments.length, other.segments.length);
    for (let i = 0; i < length; i++) {
      const a = this.segments[i];
      const b = other.segments[i];
      if (a?.kind === 'complex' || b?.kind === 'complex') return true;
      if (!a || !b) return false;
      if (a.kind === 'static' && b.kind === 'static' && a.text.toLowerCase() !== b.text.toLowerCase()) return false;
    }
    return true;
  }
}
