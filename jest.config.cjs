/**
 * Jest runs in native ESM mode (`node --experimental-vm-modules`, see `npm test`):
 * NestJS 12 ships ESM only, which jest's CommonJS runtime cannot require().
 * ts-jest only transpiles (isolatedModules); `npm test` type-checks with tsc first.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/lib'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/*.process-spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        useESM: true,
        tsconfig: {
          module: 'es2022',
          moduleResolution: 'bundler',
          target: 'es2022',
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          esModuleInterop: true,
          isolatedModules: true,
          sourceMap: true
        }
      }
    ]
  },
  testTimeout: 60000,
  // it.concurrent trials of the process suite, bounded for a 2-core machine
  maxConcurrency: 4,
  // Two suites at a time on CI's 2 cores (jest's default would be one): the suites wait on child
  // processes, servers and disks much of the time, and keep within CI's 10 minutes this way
  maxWorkers: 2,
  // A failing test must not leave CI waiting on a handle it leaked (find leaks with --detectOpenHandles)
  forceExit: true
};
