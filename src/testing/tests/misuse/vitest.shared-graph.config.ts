// The misuse config with a shared module graph and the kit's setup file, as a
// project that runs with isolate: false configures it.
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

export default mergeConfig(base, defineConfig({ test: { isolate: false, setupFiles: ['src/testing/vitest-setup.ts'] } }));
