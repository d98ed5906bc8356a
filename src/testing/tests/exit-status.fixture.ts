// Run by exit-status.process.test.ts in a child process: start embedded PostgreSQL,
// print its URL, then leave with the status given in argv, either the way
// Vitest does after failing tests (stop, then process.exitCode) or abruptly
// (process.exit without stopping, as a crash handler does).
import { startEmbeddedPostgres } from '../embedded-postgres.ts';

const [status = '0', stop = 'stop'] = process.argv.slice(2);
const server = await startEmbeddedPostgres();
console.log(server.url);
if (stop === 'stop') {
  await server.stop();
  process.exitCode = Number(status);
} else {
  process.exit(Number(status));
}
