// Not part of npm test: measures a signed-in client made the fast way (the
// wiring's signIn: insert a user, mint its token with the app's code) against
// the slow way suites often use (insert a user with a hashed password, then
// log in through POST /login, which checks the hash).
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { test, expect } from './fixtures.mjs';

const { hashPassword } = createRequire(import.meta.url)('../src/auth.js');
const N = 30;

async function timeEach(fn) {
  const start = performance.now();
  for (let i = 0; i < N; i++) await fn();
  return (performance.now() - start) / N;
}

test('signIn with a minted token against a login with a password hash', { timeout: 60_000 }, async ({ app, clientFor }) => {
  const anonymous = await clientFor();
  const minted = await timeEach(async () => {
    expect((await (await clientFor('admin')).get('/categories')).status).toBe(200);
  });
  const hashed = await timeEach(async () => {
    const email = `${randomUUID()}@example.test`;
    await app.models.User.create({ email, passwordHash: hashPassword('pw'), role: 'admin' });
    expect((await anonymous.post('/login', { email, password: 'pw' })).status).toBe(200);
  });
  const hashOnly = await timeEach(async () => hashPassword('pw'));

  console.log(`per signed-in client, mean of ${N}: minted token ${minted.toFixed(1)} ms; hashed password + POST /login ${hashed.toFixed(1)} ms (one scrypt hash alone: ${hashOnly.toFixed(1)} ms)`);
});
