// The schema-damage files again, with one module graph for the worker
// (isolate: false, the repository's own config): the kit and its connections
// then outlive the damaging file, and the next file must still get sound ones.
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

export default mergeConfig(base, defineConfig({ test: { isolate: false, setupFiles: ['src/testing/vitest-setup.ts'] } }));
