// Preloaded into `npm start` (src/server.ts) by server.startup.process.test.ts,
// before the server's own modules. When the server prints a line that says it
// is listening, this reports on stderr how many SIGTERM listeners the process
// has then, beside how many it had before the server ran. Whoever reads that
// line may send SIGTERM at once: without a listener of the server's own, the
// default action kills the process instead of shutting it down in order.
const before = process.listenerCount('SIGTERM');
const write = process.stdout.write.bind(process.stdout) as (chunk: unknown, ...rest: unknown[]) => boolean;

process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
  if (String(chunk).includes('listening on')) {
    process.stderr.write(`[probe] SIGTERM listeners: ${before} before the server, ${process.listenerCount('SIGTERM')} when it said it was listening\n`);
  }
  return write(chunk, ...rest);
}) as typeof process.stdout.write;
