// Module state of the worker's one module graph (isolate: false): this module is
// evaluated once per worker, so what it holds goes on from file to file.
import { expect } from 'vitest';

let filesStarted = 0;
let firstFileInstance;

/**
 * Called from each test file's beforeAll with the Sequelize instance the kit gives the file:
 * returns which file of this worker it is (1, 2, ...), its instance, and the instance the
 * worker's first file got.
 */
export function startFile(sequelize) {
  filesStarted += 1;
  firstFileInstance ??= sequelize;
  return { fileNumber: filesStarted, sequelize, firstFileInstance };
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
  test("when a file starts in a worker, then it gets the Sequelize instance of the worker's first file (the kit is built once per worker)", ({ task }) => {
    recordFile(task, file);
    expect(file.sequelize).toBe(file.firstFileInstance);
  });
}
