// The negative control (ci.sh runs it and expects it to fail): the same files with a
// shared module graph but WITHOUT the kit's setup entry. One worker runs every file, so
// each file after the first (which imported the fixtures module, and so registered the
// hook, for itself only) fails with "The kit hook is not registered in this file".
import { defineConfig } from 'vitest/config';
import base from './vitest.config.mjs';

// A spread, not mergeConfig: mergeConfig would concatenate setupFiles and keep the entry.
export default defineConfig({ test: { ...base.test, setupFiles: [], maxWorkers: 1 } });
