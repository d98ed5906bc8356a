/**
 * A Vitest `setupFiles` entry for a shared module graph (`isolate: false`):
 * the fixtures module is imported once per worker, so this file registers
 * the kit's aroundEach hook in every later test file. It also starts cloning
 * the worker's database early (so a worker that runs no kit file still gets one).
 *
 * @example
 * ```ts
 * // vitest.config.ts
 * export default defineConfig({ test: { isolate: false, setupFiles: ['./src/testing/vitest-setup.ts'] } });
 * ```
 *
 * @packageDocumentation
 */
import { workerDatabaseUrl } from './databases.ts';
import { registerSharedSessionHooks } from './vitest.ts';

registerSharedSessionHooks();
// The worker's database is cloned while the test file's imports load, not
// after: the kit asks for it first thing. Its errors surface there, when the
// kit asks, so this early start swallows them.
workerDatabaseUrl().catch(() => {});
