import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Encoding } from './content-encoding';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** `compress` as resolved from the module option. */
export interface CompressSettings {
  /** Bodies smaller than this many bytes are sent as they are. */
  readonly threshold: number;
  readonly encodings: readonly Encoding[];
  /** 0–11; 11 is the smallest output, made once per entry. */
  readonly brotliQuality: number;
}

/** One body in one encoding, once it is made. */
export interface EncodedBody {
  readonly encoding: Encoding;
  readonly bytes: Buffer;
}

/**
 * Keeps each cached body's compressed encodings, made once per body, lazily:
 * the first hit that asks for an encoding compresses on libuv's thread pool
 * (never blocking the event loop) and every later hit sends the same bytes.
 * The encodings live as long as the body they belong to (a WeakMap keyed by
 * the body's Buffer), so a replaced or dropped entry frees them.
 */
export class EncodedBodies {
  private readonly made = new WeakMap<Buffer, Map<Encoding, Promise<Buffer>>>();
  private readonly ready = new WeakMap<Buffer, Map<Encoding, Buffer>>();

  constructor(private readonly settings: CompressSettings) {}

  /** The encodings a body may be sent in (none under the threshold). */
  available(body: Buffer): readonly Encoding[] {
    return body.length >= this.settings.threshold ? this.settings.encodings : [];
  }

  /** The body in `encoding` if it was made already: the synchronous fast path. */
  peek(body: Buffer, encoding: Encoding): Buffer | undefined {
    return this.ready.get(body)?.get(encoding);
  }

  /** The body in `encoding`, made on first use and kept. */
  encode(body: Buffer, encoding: Encoding): Promise<Buffer> {
    let byEncoding = this.made.get(body);
    if (!byEncoding) {
      byEncoding = new Map();
      this.made.set(body, byEncoding);
    }
    let pending = byEncoding.get(encoding);
    if (!pending) {
      pending = this.compress(body, encoding).then((bytes) => {
        let done = this.ready.get(body);
        if (!done) {
          done = new Map();
          this.ready.set(body, done);
        }
        done.set(encoding, bytes);
        return bytes;
      });
      // A failure (out of memory) is not kept: the next hit tries again
      pending.catch(() => byEncoding.delete(encoding));
      byEncoding.set(encoding, pending);
    }
    return pending;
  }

  private compress(body: Buffer, encoding: Encoding): Promise<Buffer> {
    if (encoding === 'gzip') return gzipAsync(body, { level: constants.Z_BEST_COMPRESSION });
    return brotli(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: this.settings.brotliQuality,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    });
  }
}

/** The strong validator of one representation: each encoding has its own (RFC 9110 §8.8.3). */
export function representationEtag(identityEtag: string, encoding: Encoding | 'identity'): string {
  return encoding === 'identity' ? identityEtag : `${identityEtag.slice(0, -1)}-${encoding}"`;
}
