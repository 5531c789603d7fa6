import type { AdapterKind } from './cached-replies';

/**
 * A hit with compressed representations varies on Accept-Encoding. That is
 * added to what the response varies on already (CORS's `Origin`, a
 * `@Header('Vary', ...)`, a middleware's `res.vary()`), never in its place,
 * as compression() and @fastify/compress add theirs: a shared cache must not
 * give one origin's or one language's answer to another.
 */
export function varyWith(current: unknown, field: string): string {
  const values = Array.isArray(current) ? current : current === undefined || current === null ? [] : [current];
  const fields = values
    .flatMap((value) => String(value).split(','))
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (fields.includes('*')) return '*';
  if (fields.some((name) => name.toLowerCase() === field.toLowerCase())) return fields.join(', ');
  return [...fields, field].join(', ');
}

/**
 * The field as each adapter's own compression writes it: @fastify/compress
 * looks for `accept-encoding` in lower case only, and would add it a second time.
 */
export function encodingField(adapter: AdapterKind): string {
  return adapter === 'fastify' ? 'accept-encoding' : 'Accept-Encoding';
}
