import { ENCODINGS, type Encoding } from './content-encoding';
import type { CompressSettings } from './encoded-bodies';

/** `compress` as a user writes it. */
export type CompressOption = boolean | Partial<CompressSettings>;

/**
 * Defaults for a production app: bodies from 1 KB up are kept in brotli and
 * gzip, made once per entry on the thread pool (`compression()` pays for it on
 * every request instead). Brotli quality 5, not 11: on the 160 KB report of the
 * bench, quality 11 takes 2.7 s per body for an output 3 % smaller than quality
 * 5's (12 ms); a first hit must not wait seconds, nor a startup of thousands of entries.
 */
export const COMPRESS_DEFAULTS: CompressSettings = { threshold: 1024, encodings: ENCODINGS, brotliQuality: 5 };

/** The settings of `compress`, or undefined when it is off; throws a message naming what is wrong. */
export function resolveCompress(option: CompressOption | undefined): CompressSettings | undefined {
  if (option === undefined || option === true) return COMPRESS_DEFAULTS;
  if (option === false) return undefined;
  if (typeof option !== 'object' || option === null) {
    throw new Error(`must be true, false or { threshold, encodings, brotliQuality }, got ${typeof option} ${String(option)}`);
  }
  const settings = { ...COMPRESS_DEFAULTS, ...option };
  if (!Number.isInteger(settings.threshold) || settings.threshold < 0) {
    throw new Error(`compress.threshold must be a whole number of bytes, got ${String(settings.threshold)}`);
  }
  if (!Number.isInteger(settings.brotliQuality) || settings.brotliQuality < 0 || settings.brotliQuality > 11) {
    throw new Error(`compress.brotliQuality must be a whole number from 0 to 11, got ${String(settings.brotliQuality)}`);
  }
  const encodings: unknown = settings.encodings;
  if (!Array.isArray(encodings) || encodings.some((encoding) => !ENCODINGS.includes(encoding as Encoding))) {
    throw new Error(`compress.encodings must list some of ${ENCODINGS.map((e) => `'${e}'`).join(', ')}, got ${JSON.stringify(encodings)}`);
  }
  return settings;
}
