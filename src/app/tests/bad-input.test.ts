// Bad input of every kind gets a specific 4xx JSON error, never a 500 and never
// a hang: malformed and oversized bodies, wrong and unknown fields, bad ids,
// broken tokens, conflicts the database detects, unknown routes.
import type { AxiosInstance, AxiosResponse } from 'axios';
import { SignJWT } from 'jose';
import { test, expect, TEST_SESSION_SECRET, type Factories } from '../../e2e/fixtures.ts';
import { signSessionToken } from '../auth/session.ts';
import type { ErrorCode } from '../errors.ts';
import type { Models } from '../models/index.ts';
import { errorBody, withTimeout, type Role } from './support.ts';

interface Context {
  factories: Factories;
  models: Models;
  as(role?: Role): Promise<AxiosInstance>;
}
interface Case {
  when: string;
  status: number;
  code: ErrorCode;
  act(ctx: Context): Promise<AxiosResponse>;
}

/** Sends `body` as the exact bytes given, with a JSON content type (axios would otherwise serialise it). */
const raw = (client: AxiosInstance, url: string, body: string, contentType = 'application/json') =>
  client.post(url, body, { headers: { 'content-type': contentType }, transformRequest: [(data: unknown) => data] });

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function liveBattle({ factories, models }: Context) {
  const battle = await factories.battle();
  await models.Battle.update({ status: 'live' }, { where: { id: battle.id } });
  return battle;
}

const cases: Case[] = [
  // Bodies
  { when: 'the body is malformed JSON', status: 400, code: 'invalid_json', act: async ({ as }) => raw(await as('admin'), '/tournaments', '{"name": "x",') },
  { when: 'the body is a bare JSON string', status: 400, code: 'invalid_json', act: async ({ as }) => raw(await as('admin'), '/tournaments', '"just a string"') },
  { when: 'the body is a JSON array', status: 400, code: 'validation_failed', act: async ({ as }) => (await as('admin')).post('/tournaments', [{ name: 'x' }]) },
  { when: 'the body is not JSON at all (text/plain)', status: 400, code: 'validation_failed', act: async ({ as }) => raw(await as('admin'), '/tournaments', 'name=x', 'text/plain') },
  { when: 'there is no body', status: 400, code: 'validation_failed', act: async ({ as }) => (await as('admin')).post('/tournaments') },
  {
    when: 'the body is over 16 kB',
    status: 413,
    code: 'payload_too_large',
    act: async ({ as }) => (await as('admin')).post('/tournaments', { name: 'x', padding: 'a'.repeat(20_000) }),
  },
  {
    when: 'the body claims gzip but is not',
    status: 400,
    code: 'bad_request',
    act: async ({ as }) =>
      (await as('admin')).post('/tournaments', 'not gzip', { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, transformRequest: [(d: unknown) => d] }),
  },
  { when: 'the body has an unsupported charset', status: 415, code: 'unsupported_media_type', act: async ({ as }) => raw(await as('admin'), '/tournaments', '{}', 'application/json; charset=latin9') },
  { when: 'name is missing', status: 400, code: 'validation_failed', act: async ({ as }) => (await as('admin')).post('/tournaments', { startsOn: '2030-01-01' }) },
  { when: 'name is a number', status: 400, code: 'validation_failed', act: async ({ as }) => (await as('admin')).post('/tournaments', { name: 42 }) },
  { when: 'name is null', status: 400, code: 'validation_failed', act: async ({ as }) => (await as('admin')).post('/tournaments', { name: null }) },
  { when: 'name is only whitespace', status: 400, code: 'validation_failed', act: async ({ as }) => (await as('admin')).post('/tournaments', { name: '   ' }) },
  { when: 'name has 121 characters', status: 400, code: 'validation_failed', act: async ({ as }) => (await as('admin')).post('/tournaments', { name: 'n'.repeat(121) }) },
  { when: 'an unknown field is sent', status: 400, code: 'validation_failed', act: async ({ as }) => (await as('admin')).post('/tournaments', { name: 'x', start_on: '2030-01-01' }) },
  { when: 'startsOn is not a real date', status: 400, code: 'validation_failed', act: async ({ as }) => (await as('admin')).post('/tournaments', { name: 'x', startsOn: '2030-02-30' }) },
  { when: 'startsOn is not YYYY-MM-DD', status: 400, code: 'validation_failed', act: async ({ as }) => (await as('admin')).post('/tournaments', { name: 'x', startsOn: '01/02/2030' }) },
  { when: 'startsOn is a number', status: 400, code: 'validation_failed', act: async ({ as }) => (await as('admin')).post('/tournaments', { name: 'x', startsOn: 20300101 }) },
  {
    when: 'a PATCH changes nothing',
    status: 400,
    code: 'validation_failed',
    act: async ({ as, factories }) => (await as('staff')).patch(`/tournaments/${(await factories.tournament()).id}`, {}),
  },
  {
    when: 'event mode gets a string instead of a boolean',
    status: 400,
    code: 'validation_failed',
    act: async ({ as, factories }) => (await as('staff')).post(`/tournaments/${(await factories.tournament()).id}/event-mode`, { enabled: 'yes' }),
  },
  {
    when: 'a bracket request carries a body field',
    status: 400,
    code: 'validation_failed',
    act: async ({ as, factories }) => (await as('staff')).post(`/categories/${(await factories.category()).id}/bracket`, { rounds: 3 }),
  },
  { when: 'login has no password', status: 400, code: 'validation_failed', act: async ({ as }) => (await as()).post('/auth/login', { email: 'a@example.com' }) },

  // Ids in paths
  { when: 'an id is not numeric', status: 400, code: 'validation_failed', act: async ({ as }) => (await as('judge')).get('/tournaments/abc') },
  { when: 'an id is negative', status: 400, code: 'validation_failed', act: async ({ as }) => (await as('judge')).get('/tournaments/-1') },
  { when: 'an id is zero', status: 400, code: 'validation_failed', act: async ({ as }) => (await as('judge')).get('/tournaments/0') },
  { when: 'an id is over 2^31-1', status: 400, code: 'validation_failed', act: async ({ as }) => (await as('judge')).get('/tournaments/2147483648') },
  { when: 'an id is huge', status: 400, code: 'validation_failed', act: async ({ as }) => (await as('judge')).get(`/tournaments/${'9'.repeat(40)}`) },
  { when: 'an id uses exponent notation', status: 400, code: 'validation_failed', act: async ({ as }) => (await as('judge')).get('/tournaments/1e3') },
  { when: 'an id is a broken %-escape', status: 400, code: 'bad_request', act: async ({ as }) => (await as('judge')).get('/tournaments/%E0%A4%A') },
  { when: 'a battle id is not numeric', status: 400, code: 'validation_failed', act: async ({ as }) => (await as('judge')).post('/battles/abc/votes', { dancerId: 1 }) },
  { when: 'a tournament id is unknown', status: 404, code: 'not_found', act: async ({ as }) => (await as('judge')).get('/tournaments/2147483647') },
  { when: 'an unknown tournament is deleted', status: 404, code: 'not_found', act: async ({ as }) => (await as('admin')).delete('/tournaments/2147483647') },
  {
    when: 'a dancer is added to an unknown category',
    status: 404,
    code: 'not_found',
    act: async ({ as }) => (await as('staff')).post('/categories/2147483647/dancers', { name: 'Nobody' }),
  },
  { when: 'an unknown battle is started', status: 404, code: 'not_found', act: async ({ as }) => (await as('mc')).post('/battles/2147483647/start') },

  // Tokens
  {
    when: 'the token is tampered with',
    status: 401,
    code: 'unauthenticated',
    act: async ({ as, factories }) => {
      const [header, , signature] = (await signSessionToken((await factories.user('judge')).id, TEST_SESSION_SECRET)).split('.');
      const admin = await factories.user('admin');
      return (await as()).get('/auth/me', bearer(`${header}.${b64url({ sub: String(admin.id) })}.${signature}`));
    },
  },
  {
    when: 'the token has expired',
    status: 401,
    code: 'unauthenticated',
    act: async ({ as, factories }) =>
      (await as()).get('/auth/me', bearer(await signSessionToken((await factories.user('admin')).id, TEST_SESSION_SECRET, { expiresIn: -60 }))),
  },
  {
    when: 'the token is signed with another secret',
    status: 401,
    code: 'unauthenticated',
    act: async ({ as, factories }) => (await as()).get('/auth/me', bearer(await signSessionToken((await factories.user('admin')).id, 'some-other-secret'))),
  },
  {
    when: 'the token is unsigned (alg none)',
    status: 401,
    code: 'unauthenticated',
    act: async ({ as, factories }) => {
      const user = await factories.user('admin');
      return (await as()).get('/auth/me', bearer(`${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: String(user.id) })}.`));
    },
  },
  {
    when: 'the token subject is not a user id',
    status: 401,
    code: 'unauthenticated',
    act: async ({ as }) => {
      const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('admin').setExpirationTime('1h').sign(new TextEncoder().encode(TEST_SESSION_SECRET));
      return (await as()).get('/auth/me', bearer(token));
    },
  },
  {
    when: 'the token belongs to a deleted user',
    status: 401,
    code: 'unauthenticated',
    act: async ({ as, factories }) => {
      const user = await factories.user('admin');
      const token = await signSessionToken(user.id, TEST_SESSION_SECRET);
      await user.destroy();
      return (await as()).get('/auth/me', bearer(token));
    },
  },
  {
    when: 'the token has no exp claim',
    status: 401,
    code: 'unauthenticated',
    act: async ({ as, factories }) => {
      // Well signed, but a token without exp would be valid forever.
      const user = await factories.user('admin');
      const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(String(user.id)).setIssuedAt(Date.now() / 1000 + 1).sign(new TextEncoder().encode(TEST_SESSION_SECRET));
      return (await as()).get('/auth/me', bearer(token));
    },
  },
  {
    when: 'the token has no iat claim',
    status: 401,
    code: 'unauthenticated',
    act: async ({ as, factories }) => {
      // Without iat, logout could not tell whether the token was issued before it.
      const user = await factories.user('admin');
      const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(String(user.id)).setExpirationTime('1h').sign(new TextEncoder().encode(TEST_SESSION_SECRET));
      return (await as()).get('/auth/me', bearer(token));
    },
  },
  { when: 'the bearer token is garbage', status: 401, code: 'unauthenticated', act: async ({ as }) => (await as()).get('/tournaments', bearer('not.a.jwt')) },
  {
    when: 'the Authorization header is not a Bearer token',
    status: 401,
    code: 'unauthenticated',
    act: async ({ as }) => (await as()).get('/tournaments', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } }),
  },
  {
    when: 'the session cookie is garbage',
    status: 401,
    code: 'unauthenticated',
    act: async ({ as }) => (await as()).get('/tournaments', { headers: { cookie: 'session=%E0%A4%A; other=1' } }),
  },
  {
    when: 'login has a wrong password',
    status: 401,
    code: 'invalid_credentials',
    act: async ({ as, factories }) => (await as()).post('/auth/login', { email: (await factories.user('staff')).email, password: 'wrong' }),
  },
  { when: 'login has an unknown email', status: 401, code: 'invalid_credentials', act: async ({ as }) => (await as()).post('/auth/login', { email: 'nobody@example.test', password: 'x' }) },

  // Conflicts
  {
    when: 'a tournament name is taken',
    status: 409,
    code: 'conflict',
    act: async ({ as, factories }) => (await as('admin')).post('/tournaments', { name: (await factories.tournament()).name }),
  },
  {
    when: 'a tournament name is taken once trimmed',
    status: 409,
    code: 'conflict',
    act: async ({ as, factories }) => (await as('admin')).post('/tournaments', { name: `  ${(await factories.tournament()).name} ` }),
  },
  {
    when: 'a renamed tournament takes a used name',
    status: 409,
    code: 'conflict',
    act: async ({ as, factories }) => {
      const [first, second] = [await factories.tournament(), await factories.tournament()];
      return (await as('staff')).patch(`/tournaments/${second.id}`, { name: first.name });
    },
  },
  {
    when: 'a category name is taken in its tournament',
    status: 409,
    code: 'conflict',
    act: async ({ as, factories }) => {
      const category = await factories.category();
      return (await as('staff')).post(`/tournaments/${category.tournamentId}/categories`, { name: category.name });
    },
  },
  {
    when: 'a dancer name is taken in its category',
    status: 409,
    code: 'conflict',
    act: async ({ as, factories }) => {
      const dancer = await factories.dancer();
      return (await as('staff')).post(`/categories/${dancer.categoryId}/dancers`, { name: dancer.name });
    },
  },
  {
    when: 'a category gets a second bracket',
    status: 409,
    code: 'conflict',
    act: async ({ as, factories }) => {
      const category = await factories.category();
      for (let i = 0; i < 2; i++) await factories.dancer({ categoryId: category.id });
      const staff = await as('staff');
      expect((await staff.post(`/categories/${category.id}/bracket`)).status).toBe(201);
      return staff.post(`/categories/${category.id}/bracket`);
    },
  },
  {
    when: 'a bracket has three dancers',
    status: 409,
    code: 'conflict',
    act: async ({ as, factories }) => {
      const category = await factories.category();
      for (let i = 0; i < 3; i++) await factories.dancer({ categoryId: category.id });
      return (await as('staff')).post(`/categories/${category.id}/bracket`);
    },
  },
  {
    when: 'a judge votes twice',
    status: 409,
    code: 'conflict',
    act: async (ctx) => {
      const battle = await liveBattle(ctx);
      const judge = await ctx.as('judge');
      expect((await judge.post(`/battles/${battle.id}/votes`, { dancerId: battle.dancerAId })).status).toBe(201);
      return judge.post(`/battles/${battle.id}/votes`, { dancerId: battle.dancerBId });
    },
  },
  {
    when: 'a vote names a dancer outside the battle',
    status: 400,
    code: 'validation_failed',
    act: async (ctx) => {
      const battle = await liveBattle(ctx);
      const stranger = await ctx.factories.dancer({ categoryId: battle.categoryId });
      return (await ctx.as('judge')).post(`/battles/${battle.id}/votes`, { dancerId: stranger.id });
    },
  },
  {
    when: 'a vote has a string dancerId',
    status: 400,
    code: 'validation_failed',
    act: async (ctx) => {
      const battle = await liveBattle(ctx);
      return (await ctx.as('judge')).post(`/battles/${battle.id}/votes`, { dancerId: String(battle.dancerAId) });
    },
  },
  {
    when: 'a vote is cast on a pending battle',
    status: 409,
    code: 'conflict',
    act: async ({ as, factories }) => {
      const battle = await factories.battle();
      return (await as('judge')).post(`/battles/${battle.id}/votes`, { dancerId: battle.dancerAId });
    },
  },
  { when: 'a live battle is started again', status: 409, code: 'conflict', act: async (ctx) => (await ctx.as('mc')).post(`/battles/${(await liveBattle(ctx)).id}/start`) },
  {
    when: 'a battle without its second dancer is started',
    status: 409,
    code: 'conflict',
    act: async ({ as, factories }) => (await as('mc')).post(`/battles/${(await factories.battle({ dancerBId: null })).id}/start`),
  },
  { when: 'a battle without votes is completed', status: 409, code: 'conflict', act: async (ctx) => (await ctx.as('mc')).post(`/battles/${(await liveBattle(ctx)).id}/complete`) },
  {
    when: 'a pending battle is completed',
    status: 409,
    code: 'conflict',
    act: async ({ as, factories }) => (await as('staff')).post(`/battles/${(await factories.battle()).id}/complete`),
  },
  {
    when: 'the current battle is asked for while event mode is off',
    status: 404,
    code: 'not_found',
    act: async ({ as, factories }) => (await as('judge')).get(`/tournaments/${(await factories.tournament()).id}/event/current`),
  },

  // Routes
  { when: 'the route does not exist', status: 404, code: 'not_found', act: async ({ as }) => (await as('admin')).get('/no/such/route') },
  { when: 'the method does not exist on a route', status: 404, code: 'not_found', act: async ({ as }) => (await as('admin')).put('/tournaments', { name: 'x' }) },
  { when: 'an anonymous client calls an unknown route', status: 404, code: 'not_found', act: async ({ as }) => (await as()).get('/admin') },
];

// Concurrent: each case runs in a transaction of its own, on a connection of its own, and
// its requests reach it by the identity its clients carry; while one case waits for
// PostgreSQL or its HTTP answer, the next runs.
test.concurrent.for(cases)('when $when, then $status $code', async ({ status, code, act }, { factories, app, clientFor }) => {
  const res = await act({ factories, models: app.models, as: async (role) => withTimeout(await clientFor(role)) });

  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.data).toEqual(errorBody(code));
});

test('when a request fails with 409, then the same test can keep using the API', async ({ factories, clientFor }) => {
  // The conflict aborted a statement inside the shared transaction; the next call must still work.
  const admin = withTimeout(await clientFor('admin'));
  const taken = await factories.tournament();
  expect((await admin.post('/tournaments', { name: taken.name })).status).toBe(409);

  const res = await admin.get(`/tournaments/${taken.id}`);

  expect(res.status).toBe(200);
  expect(res.data.name).toBe(taken.name);
});
