import { describe, expect, it } from '@jest/globals';
import express from 'express';
import { carriesBody, earlyLayerIndex, mountEarly } from './express-early-mount';

function early(): void {}
function auth(_req: unknown, _res: unknown, next: () => void): void {
  next();
}
function logging(_req: unknown, _res: unknown, next: () => void): void {
  next();
}
const names = (app: express.Express) => (app.router as unknown as { stack: { handle: { name: string } }[] }).stack.map((layer) => layer.handle.name);

describe('earlyLayerIndex', () => {
  it.each([
    [[], 0],
    [['auth'], 1],
    [['jsonParser', 'urlencodedParser'], 0],
    [['auth', 'jsonParser', 'urlencodedParser'], 1],
    [['auth', 'urlencodedParser'], 1],
    [['auth', 'jsonParser'], 1],
    // Something added after the parsers keeps its place before the early layer, and the parsers before it theirs
    [['jsonParser', 'logging', 'urlencodedParser'], 2],
    [['jsonParser', 'urlencodedParser', 'logging'], 3],
    [['textParser', 'jsonParser'], 1],
    [['', 'jsonParser'], 1],
  ])('after %j: %i', (before, index) => {
    expect(earlyLayerIndex(before)).toBe(index);
  });
});

describe('carriesBody', () => {
  it.each([
    [{}, false],
    [{ host: 'x', 'content-type': 'application/json' }, false],
    [{ 'content-length': '0' }, true],
    [{ 'content-length': '12' }, true],
    [{ 'transfer-encoding': 'chunked' }, true],
  ])('%j: %p', (headers, expected) => {
    expect(carriesBody(headers)).toBe(expected);
  });
});

describe('mountEarly on a real Express app', () => {
  it('goes after what app.use() added before init and before the body parsers Nest adds at init', () => {
    const app = express();
    app.use(auth);
    app.use(express.json());
    app.use(express.urlencoded({ extended: true }));
    mountEarly(app, early);
    expect(names(app)).toEqual(['auth', 'early', 'jsonParser', 'urlencodedParser']);
  });

  it('stays after middleware added between or after the parsers, and last without parsers', () => {
    const between = express();
    between.use(express.json());
    between.use(logging);
    mountEarly(between, early);
    expect(names(between)).toEqual(['jsonParser', 'logging', 'early']);

    const none = express();
    none.use(auth);
    mountEarly(none, early);
    expect(names(none)).toEqual(['auth', 'early']);

    const empty = express();
    mountEarly(empty, early);
    expect(names(empty)).toEqual(['early']);
  });

  it('leaves an app whose router has no readable stack as use() made it', () => {
    const used: string[] = [];
    const app = { use: (handler: { name: string }) => void used.push(handler.name), router: {} };
    mountEarly(app, early);
    expect(used).toEqual(['early']);
  });
});
