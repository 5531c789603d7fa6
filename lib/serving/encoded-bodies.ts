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
  /** 0–11: higher is smaller and slower (see COMPRESS_DEFAULTS). */
  readonly brotliQuality: number;
}

/**
 * Keeps each cached body's compressed encodings, made once per body, lazily:
 * the first hit that asks for an encoding compresses on libuv's thread pool
 * (never blocking the event loop) and every later hit sends the same bytes.
 * The encodings live as long as the object that owns the body (a WeakMap keyed
 * by the cache entry), so a replaced or dropped entry frees them. Only the
 * compressed bytes are kept: the identity body stays the entry's own string,
 * turned into bytes just for the time it takes to compress it.
 */
export class EncodedBodies {
  private readonly made = new WeakMap<object, Map<Encoding, Promise<Buffer>>>();
  private readonly ready = new WeakMap<object, Map<Encoding, Buffer>>();

  constructor(private readonly settings: CompressSettings) {}

  /** The encodings a body of `size` bytes may be sent in (none under the threshold). */
  available(size: number): readonly Encoding[] {
    return size >= this.settings.threshold ? this.settings.encodings : [];
  }

  /** The body of `owner` in `encoding` if it was made already: the synchronous fast path. */
  peek(owner: object, encoding: Encoding): Buffer | undefined {
    return this.ready.get(owner)?.get(encoding);
  }

  /** The body of `owner` in `encoding`, made on first use and kept. */
  encode(owner: object, body: string | Buffer, encoding: Encoding): Promise<Buffer> {
    const ready = this.peek(owner, encoding);
    if (ready) return Promise.resolve(ready);
    let byEncoding = this.made.get(owner);
    if (!byEncoding) {
      byEncoding = new Map();
      this.made.set(owner, byEncoding);
    }
    let pending = byEncoding.get(encoding);
    if (!pending) {
      pending = this.compress(typeof body === 'string' ? Buffer.from(body) : body, encoding).then((made) => {
        const bytes = tight(made);
        let done = this.ready.get(owner);
        if (!done) {
          done = new Map();
          this.ready.set(owner, done);
        }
        done.set(encoding, bytes);
        // Only the bytes are kept: the promise was for the requests that waited
        byEncoding.delete(encoding);
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
        // A window no larger than the body: the default (4 MB) costs that much memory per compression under way
        [constants.BROTLI_PARAM_LGWIN]: Math.min(constants.BROTLI_MAX_WINDOW_BITS, Math.max(constants.BROTLI_MIN_WINDOW_BITS, Math.ceil(Math.log2(body.length + 1)))),
      },
    });
  }
}

/**
 * zlib hands back its output as a view on a chunk of 16 KB or more: kept as
 * is, a 500-byte encoding would hold the whole chunk (measured: 33 KB of RSS
 * per 1 KB entry). A copy of the exact size holds only its bytes.
 */
function tight(bytes: Buffer): Buffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes;
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(copy);
  return copy;
}

/** The strong validator of one representation: each encoding has its own (RFC 9110 §8.8.3). */
export function representationEtag(identityEtag: string, encoding: Encoding | 'identity'): string {
  return encoding === 'identity' ? identityEtag : `${identityEtag.slice(0, -1)}-${encoding}"`;
}

/** Whether a value is a promise (not `instanceof`: node's zlib promises may come from another realm, as under jest's VM). */
export function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}
