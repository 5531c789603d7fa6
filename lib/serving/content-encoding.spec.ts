import { describe, expect, it } from '@jest/globals';
import { negotiateEncoding, parseAcceptEncoding } from './content-encoding';

describe('negotiateEncoding', () => {
  const both = ['br', 'gzip'] as const;
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip, br', 'br'],
    ['br, gzip', 'br'],
    ['gzip', 'gzip'],
    ['GZIP', 'gzip'],
    ['gzip;q=1, br;q=0.5', 'gzip'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
    ['gzip;q=0, br', 'br'],
    ['br;q=0, gzip;q=0', 'identity'],
    ['*', 'br'],
    ['*;q=0.5, br;q=0', 'gzip'],
    ['identity', 'identity'],
    ['identity;q=1, gzip;q=0.5', 'identity'],
    ['identity;q=0.4, gzip;q=0.5', 'gzip'],
    ['deflate', 'identity'],
    ['gzip;q=abc', 'identity'],
    ['gzip;q=1.5', 'identity'],
    ['gzip ; q=0.7 , br ; q=0.6', 'gzip'],
    ['br;q=0.001', 'br'],
  ] as const)('Accept-Encoding %p → %s', (header, expected) => {
    expect(negotiateEncoding(header, both)).toBe(expected);
  });

  it('offers only what the server has', () => {
    expect(negotiateEncoding('br, gzip', ['gzip'])).toBe('gzip');
    expect(negotiateEncoding('br', ['gzip'])).toBe('identity');
    expect(negotiateEncoding('br, gzip', [])).toBe('identity');
  });

  it('reads a header given as several lines', () => {
    expect(negotiateEncoding(['gzip;q=0.5', 'br;q=0.9'], both)).toBe('br');
  });
});

describe('parseAcceptEncoding', () => {
  it('keeps the highest weight of a coding listed twice', () => {
    expect(parseAcceptEncoding('gzip;q=0.2, gzip;q=0.9').get('gzip')).toBe(0.9);
  });
  it('ignores other parameters', () => {
    expect(parseAcceptEncoding('gzip;level=3;q=0.4').get('gzip')).toBe(0.4);
  });
});
