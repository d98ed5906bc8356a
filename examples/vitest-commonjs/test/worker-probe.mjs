// A setup file of vitest.no-isolate.config.mjs only. With isolate: false Vitest runs its setup
// files again before each test file, while the worker's globals (and Node's require.cache, which
// holds the app's singleton) go on from file to file: the counter below counts the worker's files.
import { beforeEach } from 'vitest';

const worker = (globalThis[Symbol.for('example-vitest-commonjs.worker-probe')] ??= { files: 0 });
const fileNumber = ++worker.files;

// ci.sh reads it from the JSON report: which file of its worker each test ran in.
beforeEach(({ task }) => {
  task.meta.worker = { pid: process.pid, fileNumber };
});
