import { describe, expect, it } from '@jest/globals';
import { encodingField, varyWith } from './vary-header';

describe('varyWith', () => {
  it.each([
    [undefined, 'Accept-Encoding'],
    [null, 'Accept-Encoding'],
    ['', 'Accept-Encoding'],
    ['Origin', 'Origin, Accept-Encoding'],
    ['Origin,Accept-Language', 'Origin, Accept-Language, Accept-Encoding'],
    [['Origin', 'Accept-Language'], 'Origin, Accept-Language, Accept-Encoding'],
    ['Accept-Encoding', 'Accept-Encoding'],
    ['origin, accept-encoding', 'origin, accept-encoding'],
    ['Origin, ACCEPT-ENCODING', 'Origin, ACCEPT-ENCODING'],
    ['Accept-Encoding-Extra', 'Accept-Encoding-Extra, Accept-Encoding'],
    ['*', '*'],
    ['Origin, *', '*'],
  ])('%j: %s', (current, expected) => {
    expect(varyWith(current, 'Accept-Encoding')).toBe(expected);
  });

  it('adds the field as given', () => {
    expect(varyWith('Origin', 'accept-encoding')).toBe('Origin, accept-encoding');
  });
});

describe('encodingField', () => {
  it('is lower case for Fastify (as @fastify/compress looks for it) and as compression() writes it for Express', () => {
    expect(encodingField('fastify')).toBe('accept-encoding');
    expect(encodingField('express')).toBe('Accept-Encoding');
  });
});
