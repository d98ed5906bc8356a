// Runs the schema-damage files in one worker, in name order, so
// kit.schema-damage.process.test.ts can check that the damaging file fails and the
// next file of the same worker database runs on a sound schema. Not part of npm test.
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

class ByName extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => a.moduleId.localeCompare(b.moduleId));
  }
}

export default defineConfig({
  test: {
    include: ['src/testing/tests/schema-damage/*.damage.ts'],
    globalSetup: ['src/e2e/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 10_000,
    sequence: { sequencer: ByName, shuffle: false },
  },
});
