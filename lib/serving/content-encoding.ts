/** The encodings a cached body may be kept in, in the server's order of preference. */
export const ENCODINGS = ['br', 'gzip'] as const;
export type Encoding = (typeof ENCODINGS)[number];
export type Coding = Encoding | 'identity';

interface Weight {
  readonly q: number;
  /** Whether the client named the coding itself (rather than through `*`). */
  readonly named: boolean;
}

/**
 * The coding to send a body in, from the client's `Accept-Encoding` (RFC 9110
 * §12.5.3) and the encodings the server has: the acceptable one with the
 * highest q-value, the server's order breaking ties. Identity counts only when
 * the client weighs it explicitly (`identity;q=1`); otherwise it is the
 * fallback. A client that refuses everything we have gets identity all the
 * same, as an app without this module would send it.
 */
export function negotiateEncoding(header: string | readonly string[] | undefined, available: readonly Encoding[]): Coding {
  if (header === undefined || available.length === 0) return 'identity';
  const weights = parseAcceptEncoding(typeof header === 'string' ? header : header.join(','));
  let best: Coding = 'identity';
  let bestQ = 0;
  const identity = weightOf(weights, 'identity');
  if (identity.named) bestQ = identity.q;
  for (const encoding of ENCODINGS) {
    if (!available.includes(encoding)) continue;
    const { q } = weightOf(weights, encoding);
    if (q > bestQ) {
      best = encoding;
      bestQ = q;
    }
  }
  return best;
}

/** `gzip;q=0.8, br, *;q=0` → coding → q (lower-cased; an unreadable q counts as 0). */
export function parseAcceptEncoding(header: string): ReadonlyMap<string, number> {
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...parameters] = part.split(';');
    const coding = name.trim().toLowerCase();
    if (!coding) continue;
    let q = 1;
    for (const parameter of parameters) {
      const [key, value] = parameter.split('=').map((text) => text.trim());
      if (key.toLowerCase() === 'q') q = parseQ(value);
    }
    // A coding listed twice keeps its highest weight
    weights.set(coding, Math.max(q, weights.get(coding) ?? 0));
  }
  return weights;
}

function parseQ(value: string | undefined): number {
  if (value === undefined || !/^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(value)) return 0;
  return Number(value);
}

function weightOf(weights: ReadonlyMap<string, number>, coding: string): Weight {
  const own = weights.get(coding);
  if (own !== undefined) return { q: own, named: true };
  const any = weights.get('*');
  return { q: any ?? 0, named: false };
}
