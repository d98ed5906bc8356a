// Run by embedded-leftovers.process.test.ts in a child process: a test runner that
// started embedded PostgreSQL and is busy with tests when it is interrupted
// (Ctrl-C, SIGTERM) or killed (kill -9). Prints the server's URL, then waits.
import { startEmbeddedPostgres } from '../embedded-postgres.ts';

// What Vitest's main process does on SIGINT and SIGTERM (its reporter's
// addCleanupListeners, registered before the global setup runs): set the exit
// code and call process.exit() 1 ms later, long before an asynchronous
// shutdown of PostgreSQL could finish.
const likeVitest = (signal: NodeJS.Signals) => {
  process.exitCode = signal === 'SIGINT' ? 130 : 143;
  setTimeout(() => process.exit(), 1);
};
process.once('SIGINT', likeVitest);
process.once('SIGTERM', likeVitest);

const server = await startEmbeddedPostgres();
console.log(JSON.stringify({ url: server.url }));
setInterval(() => {}, 1_000);
