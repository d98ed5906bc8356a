// Module state of the worker's one module graph (isolate: false): this module is
// evaluated once per worker, so what it holds goes on from file to file.
import { expect } from 'vitest';

const instances = new Set();

/**
 * Called from each test file's beforeAll with the file's Sequelize instance: returns which
 * file of this module instance it is (1, 2, ...) and whether the instance is new to it.
 */
export function startFile(sequelize) {
  const fresh = !instances.has(sequelize);
  instances.add(sequelize);
  return { fileNumber: instances.size, fresh };
}

/**
 * Records in the test's meta which file of its worker it ran in; ci.sh reads the JSON report
 * and requires a file numbered 2 or more (with isolate: true every file would be 1).
 * Order-independent: whichever files share a worker, one of them is not its worker's first.
 */
export function recordFile(task, { fileNumber }) {
  task.meta.moduleGraph = { pid: process.pid, fileNumber };
}

/** The per-file probe every test file registers: its first test records the file's place in its worker. */
export function proveModuleGraph(test) {
  let file;
  test.beforeAll(({ app }) => {
    file = startFile(app.sequelize);
  });
  test('when this file starts in the worker, then the factory gave it a fresh Sequelize instance', ({ task }) => {
    recordFile(task, file);
    expect(file.fresh).toBe(true);
  });
}
