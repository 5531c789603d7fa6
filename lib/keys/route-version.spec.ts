import { describe, expect, it } from '@jest/globals';
import { VERSION_NEUTRAL, VersioningType } from '@nestjs/common';
import { headerVersionOf, mediaTypeVersion, versionLabel, versionSelectorOf } from './route-version';

describe('route versions', () => {
  const header = versionSelectorOf({ type: VersioningType.HEADER, header: 'X-API-Version' });
  const media = versionSelectorOf({ type: VersioningType.MEDIA_TYPE, key: 'v=' });
  const uri = versionSelectorOf({ type: VersioningType.URI });

  it('label keys readably, so two versions of one path never share a key', () => {
    expect(versionLabel(header, '2')).toBe(" -H 'X-API-Version: 2'");
    expect(versionLabel(media, '2')).toBe(" -H 'Accept: application/json;v=2'");
    expect(versionLabel(versionSelectorOf({ type: VersioningType.CUSTOM, extractor: () => '2' }), '2')).toBe(' [version 2]');
    expect(versionLabel(header, '1')).not.toBe(versionLabel(header, '2'));
    expect(versionLabel(uri, '2')).toBe('');
    expect(versionLabel(header, VERSION_NEUTRAL)).toBe('');
    expect(versionLabel(header, undefined)).toBe('');
  });

  it('read the version of a request as the adapters do', () => {
    expect(headerVersionOf(header, { 'x-api-version': '2' })).toBe('2');
    expect(headerVersionOf(header, {})).toBe(VERSION_NEUTRAL);
    expect(headerVersionOf(media, { accept: 'application/json;v=3' })).toBe('3');
    expect(headerVersionOf(uri, { 'x-api-version': '2' })).toBeUndefined();
    expect(mediaTypeVersion('text/html;q=0.9, application/json; charset=utf-8; v="4"', 'v=')).toBe('4');
    expect(mediaTypeVersion('application/json;x="a;v=5"', 'v=')).toBeUndefined();
  });
});

describe('route versions, every form', () => {
  const header = versionSelectorOf({ type: VersioningType.HEADER, header: 'X-API-Version' });
  const media = versionSelectorOf({ type: VersioningType.MEDIA_TYPE, key: 'v=' });

  it('maps each versioning type to its selector', () => {
    expect(header).toEqual({ type: 'header', header: 'X-API-Version' });
    expect(media).toEqual({ type: 'media-type', key: 'v=' });
    expect(versionSelectorOf({ type: VersioningType.URI })).toEqual({ type: 'path' });
    expect(versionSelectorOf(undefined)).toEqual({ type: 'path' });
    const extractor = () => '1';
    expect(versionSelectorOf({ type: VersioningType.CUSTOM, extractor })).toEqual({ type: 'custom', extract: extractor });
  });

  it('reads a header under its own spelling or lower case, and a missing Accept as neutral', () => {
    expect(headerVersionOf(header, { 'X-API-Version': '3' })).toBe('3');
    expect(headerVersionOf(media, {})).toBe(VERSION_NEUTRAL);
    expect(headerVersionOf(media, { accept: 'application/json' })).toBe(VERSION_NEUTRAL);
    expect(headerVersionOf({ type: 'custom', extract: () => '1' }, { 'x-api-version': '1' })).toBeUndefined();
  });

  it('reads media-type versions as the adapters do: any range, quotes and escapes', () => {
    expect(mediaTypeVersion(['text/html', 'application/json;v=2'], 'v=')).toBe('2');
    expect(mediaTypeVersion('application/json;v="a\\"b"', 'v=')).toBe('a"b');
    expect(mediaTypeVersion('application/json;x="a\\",v=5", application/json;v=6', 'v=')).toBe('6');
    expect(mediaTypeVersion('application/json; v=7 ;v=8', 'v=')).toBe('7');
    expect(mediaTypeVersion('v=9, application/json', 'v=')).toBeUndefined();
    expect(mediaTypeVersion(undefined, 'v=')).toBeUndefined();
    expect(mediaTypeVersion('application/json;v=', 'v=')).toBe('');
  });
});
