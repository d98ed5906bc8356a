/**
 * A Vitest `setupFiles` entry for a shared module graph (`isolate: false`):
 * the fixtures module is imported once per worker, so this file registers
 * the kit's aroundEach hook in every later test file. It also starts cloning
 * the worker's database early (so a worker that runs no kit file still gets one),
 * and holds the file's first test until that clone has finished.
 *
 * @example
 * ```ts
 * // vitest.config.ts
 * export default defineConfig({ test: { isolate: false, setupFiles: ['./src/testing/vitest-setup.ts'] } });
 * ```
 *
 * @packageDocumentation
 */
import { beforeAll } from 'vitest';
import { workerDatabaseUrl } from './databases.ts';
import { registerSharedSessionHooks } from './vitest.ts';

registerSharedSessionHooks();
// The worker's database is cloned while the test file's imports load, not
// after: the kit asks for it first thing. Its errors surface there, when the
// kit asks, so this early start swallows them.
const clone = workerDatabaseUrl().catch(() => {});
// No test body runs while the clone's connection may still be logging in. A
// file that does not use the kit could block its event loop at once (spawnSync,
// execSync, a busy loop); a backend that waits for a login reply absorbs no
// ProcSignalBarrier, so every DROP DATABASE on the server would wait for it,
// up to authentication_timeout (60 s). See the kit's FAQ.md, "still waiting
// for backend with PID ... to accept ProcSignalBarrier".
beforeAll(() => clone);
