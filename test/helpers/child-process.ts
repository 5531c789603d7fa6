import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { resolve } from 'node:path';

const CHILD_APP = resolve('.build/test/fixtures/child-app.js');

export interface Child {
  readonly process: ChildProcess;
  /** Every line so far, stdout and stderr. */
  readonly lines: string[];
  /** Resolves with the first line (so far or to come) that matches. */
  waitForLine(match: (line: string) => boolean): Promise<string>;
  /** Resolves with the port once the app listens. */
  listening(): Promise<number>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

/** Starts the child app (compiled by `npm test` into .build) with the given environment. */
export function startChild(env: Record<string, string>): Child {
  if (!existsSync(CHILD_APP)) throw new Error(`${CHILD_APP} is missing: run the tests with npm test (it compiles first)`);
  const child = spawn(process.execPath, [CHILD_APP], {
    env: { ...process.env, ...env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: Array<{ match: (line: string) => boolean; resolve: (line: string) => void }> = [];
  let partial = '';
  let errors = '';
  const addLine = (line: string) => {
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.match(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    parts.forEach(addLine);
  });
  // Nest logs errors to stderr: those lines are waited for too
  let partialError = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    errors += chunk;
    const parts = (partialError + chunk).split('\n');
    partialError = parts.pop() ?? '';
    parts.forEach(addLine);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    // 'close', not 'exit': the process is gone and its pipes are closed too
    child.on('close', (code, signal) => done({ code, signal })),
  );
  const waitForLine = (match: (line: string) => boolean) => {
    const found = lines.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<string>((resolveLine, reject) => {
      waiters.push({ match, resolve: resolveLine });
      void exited.then(({ code, signal }) =>
        reject(new Error(`child exited (${code ?? signal}) before the expected line\n${lines.join('\n')}\n${errors}`)),
      );
    });
  };
  return {
    process: child,
    lines,
    waitForLine,
    listening: async () => Number((await waitForLine((line) => line.startsWith('LISTENING '))).split(' ')[1]),
    exited,
    stderr: () => errors,
  };
}

/** Lines of a calls file written by the child app: `start a/b`, `end a/b`. */
export function readCalls(file: string): { starts: string[]; ends: string[] } {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const lines = text.split('\n').filter(Boolean);
  return {
    starts: lines.filter((line) => line.startsWith('start ')).map((line) => line.slice(6)),
    ends: lines.filter((line) => line.startsWith('end ')).map((line) => line.slice(4)),
  };
}

/** Every combination of the child app's default grid. */
export function gridCombinations(a = 8, b = 5): string[] {
  const result: string[] = [];
  for (let i = 1; i <= a; i++) for (let j = 1; j <= b; j++) result.push(`a${i}/b${j}`);
  return result;
}

/** A GET on 127.0.0.1: status and body. */
export function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // agent: false: a kept-alive socket can be closed by the server while a spawnSync() blocks this process ("socket hang up")
    httpRequest({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}
