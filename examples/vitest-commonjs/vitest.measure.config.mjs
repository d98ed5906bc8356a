// npm run measure-login: what a hash-based login per test would cost, against the minted token.
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.mjs';

export default mergeConfig(base, defineConfig({ test: { include: ['test/**/*.measure.mjs'] } }));
