/**
 * A Vitest `setupFiles` entry for a shared module graph (`isolate: false`):
 * the fixtures module is imported once per worker, so this file registers
 * the kit's aroundEach hook in every later test file.
 *
 * @example
 * ```ts
 * // vitest.config.ts
 * export default defineConfig({ test: { isolate: false, setupFiles: ['./src/testing/vitest-setup.ts'] } });
 * ```
 *
 * @packageDocumentation
 */
import { registerSharedSessionHooks } from './vitest.ts';

registerSharedSessionHooks();
