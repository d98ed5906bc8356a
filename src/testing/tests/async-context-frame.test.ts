// The repository's vitest.config.ts passes --experimental-async-context-frame to
// the workers wherever Node has that flag (22.7 and later): AsyncLocalStorage,
// which carries each test's transaction, then needs no hook on every promise.
// CI runs this file on Node 20 (no such flag, none passed), in its Node 22 run
// of the whole suite (the flag passed, and every test still green), and on
// Node 24 (the flag gone, its behaviour the default).
import { expect, test } from 'vitest';

const FLAG = '--experimental-async-context-frame';

test('when Node has the async context frame flag, then the workers run with it, and never otherwise', () => {
  expect(process.execArgv.includes(FLAG)).toBe(process.allowedNodeEnvironmentFlags.has(FLAG));
});
