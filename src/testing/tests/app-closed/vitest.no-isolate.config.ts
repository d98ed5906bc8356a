// The app-closed files with one module graph for the worker (isolate: false,
// the repository's own config): the kit, and the app it built, outlive each file.
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

export default mergeConfig(base, defineConfig({ test: { isolate: false, setupFiles: ['src/testing/vitest-setup.ts'] } }));
