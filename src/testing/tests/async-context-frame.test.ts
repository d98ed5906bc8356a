// The repository's vitest.config.ts passes --experimental-async-context-frame to
// the workers wherever Node has that flag (22.7 and later): AsyncLocalStorage,
// which carries each test's transaction, then needs no hook on every promise.
// CI runs this file on Node 24, the repository's Node (the flag gone, its
// behaviour the default), in its Node 22 run of the whole suite (the flag
// passed, and every test still green), and on Node 20 (no such flag, none passed).
import { AsyncLocalStorage } from 'node:async_hooks';
import { expect, test } from 'vitest';

const FLAG = '--experimental-async-context-frame';

test('when Node has the async context frame flag, then the workers run with it, and never otherwise', () => {
  expect(process.execArgv.includes(FLAG)).toBe(process.allowedNodeEnvironmentFlags.has(FLAG));
});

test('when the workers run on Node 22 with the flag, or on Node 24, then AsyncLocalStorage needs no promise hook', () => {
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  const frames = nodeMajor >= 24 || process.execArgv.includes(FLAG);
  // Node's hook-based AsyncLocalStorage propagates its store from a promise hook through this
  // (internal) method; the frame-based one has none (seen on 20.20, 22.23 with and without the flag, 24.21).
  const hookBased = typeof (AsyncLocalStorage.prototype as unknown as { _propagate?: unknown })._propagate === 'function';
  expect(hookBased).toBe(!frames);
});
