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
