// Who may call what: every endpoint × admin, staff, mc, judge and anonymous.
// Each row arranges a resource the call can succeed on, so an allowed role gets
// its success status and a refused one gets 401 (anonymous) or 403 (wrong role),
// never a 404 that would hide a missing check.
import { test, expect, type Factories } from '../../e2e/fixtures.ts';
import type { Models } from '../models/index.ts';
import { ROLES, errorBody, withTimeout, type Role } from './support.ts';

type Method = 'get' | 'post' | 'patch' | 'delete';
interface Arranged {
  path: string;
  body?: unknown;
}
interface Endpoint {
  name: string;
  method: Method;
  /** Roles that succeed; `'any'` means every signed-in role, `'public'` includes anonymous. */
  allowed: Role[] | 'any' | 'public';
  success: number;
  arrange(factories: Factories, models: Models): Promise<Arranged>;
}

async function dancersIn(factories: Factories, categoryId: number, count: number) {
  for (let i = 0; i < count; i++) await factories.dancer({ categoryId });
}

const endpoints: Endpoint[] = [
  { name: 'GET /health', method: 'get', allowed: 'public', success: 200, arrange: async () => ({ path: '/health' }) },
  { name: 'POST /auth/logout', method: 'post', allowed: 'public', success: 204, arrange: async () => ({ path: '/auth/logout' }) },
  { name: 'GET /auth/me', method: 'get', allowed: 'any', success: 200, arrange: async () => ({ path: '/auth/me' }) },
  { name: 'GET /tournaments', method: 'get', allowed: 'any', success: 200, arrange: async () => ({ path: '/tournaments' }) },
  {
    name: 'POST /tournaments',
    method: 'post',
    allowed: ['admin', 'staff'],
    success: 201,
    arrange: async () => ({ path: '/tournaments', body: { name: `Matrix ${Math.random()}` } }),
  },
  {
    name: 'GET /tournaments/:id',
    method: 'get',
    allowed: 'any',
    success: 200,
    arrange: async (f) => ({ path: `/tournaments/${(await f.tournament()).id}` }),
  },
  {
    name: 'PATCH /tournaments/:id',
    method: 'patch',
    allowed: ['admin', 'staff'],
    success: 200,
    arrange: async (f) => ({ path: `/tournaments/${(await f.tournament()).id}`, body: { startsOn: '2030-06-01' } }),
  },
  {
    name: 'DELETE /tournaments/:id',
    method: 'delete',
    allowed: ['admin'],
    success: 204,
    arrange: async (f) => ({ path: `/tournaments/${(await f.tournament()).id}` }),
  },
  {
    name: 'POST /tournaments/:id/categories',
    method: 'post',
    allowed: ['admin', 'staff'],
    success: 201,
    arrange: async (f) => ({ path: `/tournaments/${(await f.tournament()).id}/categories`, body: { name: 'Popping' } }),
  },
  {
    name: 'POST /categories/:id/dancers',
    method: 'post',
    allowed: ['admin', 'staff'],
    success: 201,
    arrange: async (f) => ({ path: `/categories/${(await f.category()).id}/dancers`, body: { name: 'Poppin John' } }),
  },
  {
    name: 'POST /categories/:id/bracket',
    method: 'post',
    allowed: ['admin', 'staff'],
    success: 201,
    arrange: async (f) => {
      const category = await f.category();
      await dancersIn(f, category.id, 2);
      return { path: `/categories/${category.id}/bracket` };
    },
  },
  {
    name: 'POST /tournaments/:id/event-mode',
    method: 'post',
    allowed: ['admin', 'staff'],
    success: 200,
    arrange: async (f) => ({ path: `/tournaments/${(await f.tournament()).id}/event-mode`, body: { enabled: true } }),
  },
  {
    name: 'GET /tournaments/:id/event/current',
    method: 'get',
    allowed: 'any',
    success: 200,
    arrange: async (f) => {
      const tournament = await f.tournament({ eventMode: true });
      const battle = await f.battle({ categoryId: (await f.category({ tournamentId: tournament.id })).id });
      await tournament.update({ currentBattleId: battle.id });
      return { path: `/tournaments/${tournament.id}/event/current` };
    },
  },
  {
    name: 'POST /battles/:id/start',
    method: 'post',
    allowed: ['mc'],
    success: 200,
    arrange: async (f) => ({ path: `/battles/${(await f.battle()).id}/start` }),
  },
  {
    name: 'POST /battles/:id/votes',
    method: 'post',
    allowed: ['judge'],
    success: 201,
    arrange: async (f) => {
      const battle = await f.battle({ status: 'live' });
      return { path: `/battles/${battle.id}/votes`, body: { dancerId: battle.dancerAId } };
    },
  },
  {
    name: 'POST /battles/:id/complete',
    method: 'post',
    allowed: ['mc', 'staff'],
    success: 200,
    arrange: async (f, models) => {
      const battle = await f.battle({ status: 'live' });
      const judge = await f.user('judge');
      await models.Vote.create({ battleId: battle.id, judgeId: judge.id, dancerId: battle.dancerBId! });
      return { path: `/battles/${battle.id}/complete` };
    },
  },
];

function expectedStatus(endpoint: Endpoint, role: Role | 'anonymous'): number {
  if (endpoint.allowed === 'public') return endpoint.success;
  if (role === 'anonymous') return 401;
  if (endpoint.allowed === 'any' || endpoint.allowed.includes(role)) return endpoint.success;
  return 403;
}

const rows = endpoints.flatMap((endpoint) =>
  [...ROLES, 'anonymous' as const].map((role) => ({ endpoint: endpoint.name, role, expected: expectedStatus(endpoint, role) })),
);

// Concurrent: each case runs in a transaction of its own, on a connection of its own, and
// its requests reach it by the identity its clients carry; while one case waits for
// PostgreSQL or its HTTP answer, the next runs.
test.concurrent.for(rows)('when $role calls $endpoint, then $expected', async ({ endpoint: name, role, expected }, { factories, app, clientFor }) => {
  const endpoint = endpoints.find((e) => e.name === name)!;
  const { path, body } = await endpoint.arrange(factories, app.models);
  const client = withTimeout(await clientFor(role === 'anonymous' ? undefined : role));

  const res = await client.request({ method: endpoint.method, url: path, data: body });

  expect(res.status).toBe(expected);
  if (expected === 401) expect(res.data).toEqual(errorBody('unauthenticated'));
  if (expected === 403) expect(res.data).toEqual(errorBody('forbidden'));
});

test('the matrix covers every route the app registers', async ({ app }) => {
  // A new route without a row here would escape the role checks above.
  const { createApp } = await import('../app.ts');
  const built = createApp({ sequelize: app.sequelize, models: app.models, sessionSecret: 'unused-but-at-least-32-bytes-long-secret' });
  const registered = new Set<string>();
  const walk = (stack: { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: unknown[] } }[]) => {
    for (const layer of stack) {
      if (layer.route) for (const method of Object.keys(layer.route.methods)) registered.add(`${method.toUpperCase()} ${layer.route.path}`);
      else if (layer.handle?.stack) walk(layer.handle.stack as typeof stack);
    }
  };
  walk((built.router as unknown as { stack: Parameters<typeof walk>[0] }).stack);
  registered.delete('POST /auth/login'); // public and covered by auth.test.ts: it takes credentials, not a session
  expect([...registered].sort()).toEqual(endpoints.map((e) => e.name).sort());
});
