/**
 * The hash a cache file index keeps for one entry's raw bytes: 48 bits from
 * two independent 32-bit lanes of MurmurHash3-style mixing over the bytes'
 * 32-bit words.
 *
 * It only tells whether an entry's bytes changed between two reads in one
 * process (it is never stored), so it needs no cryptographic strength: every
 * mixing step is a bijection of the lane's state, so bytes differing in one
 * word always hash differently in both lanes, and other accidental edits
 * collide once in about 2^48. A warm start hashes every entry: one native
 * hash call per entry (SHA-1) cost about 5 µs for 1 KB, most of it the call;
 * this about 2 µs.
 */
const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const D1 = 0x85ebca77;
const D2 = 0xc2b2ae3d;
/** Looked up once: a global's property read on every word is slow in a test runner's vm context (jest: 500 ns a call). */
const imul = Math.imul;

export function entryBytesHash(bytes: Uint8Array): number {
  let a = 0x9747b28c | 0;
  let b = 0x2d358dcc | 0;
  let i = 0;
  const end = bytes.length;
  // Little-endian words counted from the entry's first byte, read byte by byte: the same bytes hash the same wherever they sit
  // Stryker disable next-line ArithmeticOperator,EqualityOperator: a word read past the end reads its missing bytes as 0: another hash, as stable and as sensitive to every byte (the specs check both), not a wrong one
  for (const last = end - 3; i < last; i += 4) {
    const word = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    let k = imul(word, C1);
    k = imul((k << 15) | (k >>> 17), C2);
    a ^= k;
    // Stryker disable next-line ArithmeticOperator: subtracting the constant is another bijection of the lane: another hash, not a wrong one
    a = (imul((a << 13) | (a >>> 19), 5) + 0xe6546b64) | 0;
    let q = imul(word, D1);
    q = imul((q << 13) | (q >>> 19), D2);
    b ^= q;
    // Stryker disable next-line ArithmeticOperator: as above
    b = (imul((b << 17) | (b >>> 15), 9) + 0x27d4eb2f) | 0;
  }
  // The last 0 to 3 bytes, as one word
  let tail = 0;
  // Stryker disable next-line EqualityOperator,AssignmentOperator: a byte past the end reads as undefined, which shifts to 0; shifting by -8 is by 24 (a shift counts mod 32): the 3 bytes still land apart
  for (let shift = 0; i < end; i++, shift += 8) tail |= bytes[i] << shift;
  a = finish(a ^ imul(tail, C1) ^ end);
  b = finish(b ^ imul(tail, D1) ^ imul(end, 0x9e3779b1));
  // Stryker disable next-line ArithmeticOperator: high·2^32 − low tells apart the same pairs of lanes as high·2^32 + low
  return (b >>> 16) * 0x1_0000_0000 + (a >>> 0);
}

/** MurmurHash3's finalizer: every input bit affects every output bit. */
function finish(h: number): number {
  h = imul(h ^ (h >>> 16), 0x85ebca6b);
  h = imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
