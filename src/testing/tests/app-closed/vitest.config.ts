// Runs the app-closed files in one worker, in name order (the schema-damage
// files' config with other files), so app-closed.process.test.ts can check what
// the file after the one that closed the app's instance gets. Not part of npm test.
import { defineConfig } from 'vitest/config';
import schemaDamage from '../schema-damage/vitest.config.ts';

export default defineConfig({ ...schemaDamage, test: { ...schemaDamage.test, include: ['src/testing/tests/app-closed/*.closed.ts'] } });
