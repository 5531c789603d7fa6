import { VERSION_NEUTRAL, VersioningType, type VersioningOptions } from '@nestjs/common';

/**
 * How the app tells versions apart, reduced to what a key and a request need:
 * URI versions live in the path itself (nothing more to read), header and
 * media-type versions in a request header, custom ones in a function of the app.
 */
export type VersionSelector =
  | { readonly type: 'path' }
  | { readonly type: 'header'; readonly header: string }
  | { readonly type: 'media-type'; readonly key: string }
  | { readonly type: 'custom'; readonly extract: (request: unknown) => string | string[] };

/** The one version of a route variant: a string, `VERSION_NEUTRAL`, or none (unversioned). */
export type RouteVersion = string | symbol | undefined;

export function versionSelectorOf(versioning: VersioningOptions | undefined): VersionSelector {
  switch (versioning?.type) {
    case VersioningType.HEADER:
      return { type: 'header', header: versioning.header };
    case VersioningType.MEDIA_TYPE:
      return { type: 'media-type', key: versioning.key };
    case VersioningType.CUSTOM:
      return { type: 'custom', extract: versioning.extractor as (request: unknown) => string | string[] };
    default:
      return { type: 'path' };
  }
}

/**
 * The version a request carries, read exactly as Nest's Express and Fastify
 * adapters read it: the header's value, or the media-type parameter of
 * `Accept`; `VERSION_NEUTRAL` when there is none. Undefined for URI (the path
 * says it) and custom versioning (only the app's extractor knows).
 */
export function headerVersionOf(selector: VersionSelector, headers: Readonly<Record<string, string | string[] | undefined>>): string | symbol | undefined {
  if (selector.type === 'header') {
    const value = headers[selector.header] ?? headers[selector.header.toLowerCase()];
    return value === undefined ? VERSION_NEUTRAL : (value as string);
  }
  if (selector.type === 'media-type') return mediaTypeVersion(headers.accept, selector.key) ?? VERSION_NEUTRAL;
  return undefined;
}

/**
 * The readable part of a key that names its version, so that two versions of
 * one path never share a key: nothing for URI versions (already in the path)
 * or version-neutral routes; a curl-style header otherwise.
 */
export function versionLabel(selector: VersionSelector, version: RouteVersion): string {
  if (typeof version !== 'string') return '';
  switch (selector.type) {
    case 'header':
      return ` -H '${selector.header}: ${version}'`;
    case 'media-type':
      return ` -H 'Accept: application/json;${selector.key}${version}'`;
    case 'custom':
      return ` [version ${version}]`;
    default:
      return '';
  }
}

/**
 * Mirror of `getMediaTypeVersion` in `@nestjs/platform-express` and
 * `@nestjs/platform-fastify` (each platform keeps its own copy, and this
 * module may not depend on either): the first parameter of any media range
 * that starts with `key`, unquoted.
 */
export function mediaTypeVersion(accept: string | string[] | undefined, key: string): string | undefined {
  const ranges = ([] as string[]).concat(accept ?? []).flatMap((value) => splitOutsideQuotes(value, ','));
  for (const range of ranges) {
    const [, ...parameters] = splitOutsideQuotes(range, ';');
    for (const parameter of parameters) {
      const trimmed = parameter.trim();
      if (!trimmed.startsWith(key)) continue;
      const version = trimmed.slice(key.length);
      return version.startsWith('"') && version.endsWith('"') ? version.slice(1, -1).replace(/\\([\s\S])/g, '$1') : version;
    }
  }
  return undefined;
}

function splitOutsideQuotes(value: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const character = value[i];
    if (quoted && character === '\\') i++;
    else if (character === '"') quoted = !quoted;
    else if (character === separator && !quoted) {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts;
}
