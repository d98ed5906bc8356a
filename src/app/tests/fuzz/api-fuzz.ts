// A property-based fuzz of the demo API over real HTTP: fast-check generates
// requests for every route and every role (bodies near and far from valid,
// path ids, query strings, headers, tokens), and every answer must keep the
// API's promise: never a 5xx, never a hang, and every error in the documented
// shape `{ error: { code, message, details? } }`.
//
// Used by api.fuzz.test.ts (a few hundred cases in `npm test`) and by
// scripts/fuzz.ts (`npm run fuzz`: 10,000 cases, bounded in time, in CI).
// The target is a real server with committed data, not the kit: a fuzz run is
// thousands of requests whose writes must all be seen by the next ones.
import { Agent, request } from 'node:http';
import fc from 'fast-check';
import type { ErrorCode } from '../../errors.ts';
import type { Role } from '../../models/index.ts';

export const FUZZ_ROLES: readonly Role[] = ['admin', 'staff', 'mc', 'judge'];

/** Every code the error handler can answer with; anything else is a finding. */
const ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'validation_failed',
  'bad_request',
  'invalid_json',
  'payload_too_large',
  'unsupported_media_type',
  'unauthenticated',
  'invalid_credentials',
  'forbidden',
  'not_found',
  'conflict',
  'internal_error',
  'service_unavailable',
]);

/** How a generated request authenticates; resolved to a header when it is sent. */
export type Auth =
  | { kind: 'none' }
  | { kind: 'bearer'; role: Role }
  | { kind: 'cookie'; role: Role }
  | { kind: 'tampered'; role: Role }
  | { kind: 'raw-authorization'; value: string }
  | { kind: 'raw-cookie'; value: string };

export interface FuzzRequest {
  method: string;
  /** Path with query string, already percent-encoded where the generator meant it. */
  path: string;
  auth: Auth;
  headers: Record<string, string>;
  body?: string;
}

export interface FuzzResponse {
  status: number;
  contentType: string;
  body: string;
}

/** What the fuzz needs from its target server. */
export interface FuzzTarget {
  /** `http://127.0.0.1:<port>`: the fuzz only ever talks to loopback. */
  url: string;
  /** A valid session token for a user of the role (a new user each time: logout ends a user's sessions). */
  freshToken(role: Role): Promise<string>;
}

const REQUEST_TIMEOUT_MS = 5_000;

// ---------------------------------------------------------------- generators

/** Strings a name validator must cope with: control characters, lone surrogates, lengths around 120, scripts, emoji. */
const nastyString = fc.oneof(
  fc.string({ maxLength: 130 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\t', 'a'.repeat(120), 'a'.repeat(121), '\u0000', 'x\u0000y', '\\0', '\ud800', 'a\udfffb', '\u0085', '\u202e', 'Ǆ', '💃🏽', '東京', ' padded ', 'DROP TABLE users;--', "O'Brien", '%00', '${x}'),
);

const anyJson = fc.jsonValue({ maxDepth: 2 });

/** Ids as a client might send them in a body: right, wrong type, out of range, fractional. */
const bodyId = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -2, max: 60 }) },
  fc.constantFrom(0, 2147483647, 2147483648, 1.5, -0, 1e308, Number.MAX_SAFE_INTEGER),
  fc.string({ maxLength: 12 }),
  anyJson,
);

const dateString = fc.oneof(
  { weight: 3, arbitrary: fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)) },
  fc.constantFrom('2025-02-30', '2024-02-29', '0000-01-01', '9999-12-31', '10000-01-01', '2025-1-1', '2025-01-01T00:00:00Z', ''),
  fc.string({ maxLength: 12 }),
);

/** An object with some of `fields` (each with its own generator), maybe an unknown one too. */
function near(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  return fc
    .tuple(
      fc.record(fields, { requiredKeys: [] }),
      fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.tuple(fc.constantFrom('extra', '__proto__', 'constructor', 'id', 'start_on'), anyJson) }),
    )
    .map(([record, extra]) => (extra ? { ...record, [extra[0]]: extra[1] } : record));
}

/** Display names that pass validation, so requests also reach the database and the 201/409 paths. */
const validName = fc.oneof(fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,20}$/), fc.constantFrom('B-Boy Storm', 'Open', 'Top rock', '東京 Jam', 'Battle 💃'));

/** Bodies the API should accept, per kind: a third of the requests to a route send one. */
const VALID_BODIES: Record<string, fc.Arbitrary<unknown>> = {
  login: fc.record({ email: fc.constantFrom('admin@example.com', 'judge@example.com', 'nobody@example.test'), password: fc.constantFrom('admin-password', 'judge-password', 'wrong') }),
  tournament: fc.record({ name: validName, startsOn: dateString.filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)) }, { requiredKeys: ['name'] }),
  tournamentPatch: fc.record({ name: validName, startsOn: fc.constantFrom('2030-06-01', null) }, { requiredKeys: ['name'] }),
  named: fc.record({ name: validName }),
  eventMode: fc.record({ enabled: fc.boolean() }),
  vote: fc.record({ dancerId: fc.integer({ min: 1, max: 12 }) }),
  none: fc.constant(undefined),
};

const BODIES: Record<string, fc.Arbitrary<unknown>> = {
  login: near({ email: fc.oneof(fc.constantFrom('admin@example.com', 'ADMIN@example.com', 'nobody@example.test'), nastyString), password: fc.oneof(fc.constantFrom('wrong', 'admin-password'), nastyString) }),
  tournament: near({ name: fc.oneof({ weight: 4, arbitrary: nastyString }, anyJson), startsOn: fc.oneof({ weight: 4, arbitrary: dateString }, anyJson) }),
  tournamentPatch: near({ name: fc.oneof({ weight: 4, arbitrary: nastyString }, anyJson), startsOn: fc.oneof({ weight: 4, arbitrary: dateString }, fc.constant(null), anyJson) }),
  named: near({ name: fc.oneof({ weight: 4, arbitrary: nastyString }, anyJson) }),
  eventMode: near({ enabled: fc.oneof({ weight: 4, arbitrary: fc.boolean() }, fc.constantFrom('true', 0, 1, null), anyJson) }),
  vote: near({ dancerId: bodyId }),
  none: fc.constant(undefined),
};

interface Route {
  method: string;
  template: string;
  body: keyof typeof BODIES;
  /** Relative frequency; login is rare because every well-formed login costs a real scrypt hash. */
  weight: number;
  /** Roles the route lets through (README's table); half the requests use one, to get past the 403s. */
  roles: readonly Role[];
}

const ANY: readonly Role[] = FUZZ_ROLES;
const SETUP: readonly Role[] = ['admin', 'staff'];

/** Every route the app registers (role-matrix.test.ts checks that list against the app). */
export const ROUTES: readonly Route[] = [
  { method: 'GET', template: '/health', body: 'none', weight: 1, roles: ANY },
  { method: 'POST', template: '/auth/login', body: 'login', weight: 1, roles: ANY },
  { method: 'POST', template: '/auth/logout', body: 'none', weight: 1, roles: ANY },
  { method: 'GET', template: '/auth/me', body: 'none', weight: 2, roles: ANY },
  { method: 'GET', template: '/tournaments', body: 'none', weight: 1, roles: ANY },
  { method: 'POST', template: '/tournaments', body: 'tournament', weight: 4, roles: SETUP },
  { method: 'GET', template: '/tournaments/:id', body: 'none', weight: 3, roles: ANY },
  { method: 'PATCH', template: '/tournaments/:id', body: 'tournamentPatch', weight: 4, roles: SETUP },
  { method: 'DELETE', template: '/tournaments/:id', body: 'none', weight: 1, roles: ['admin'] },
  { method: 'POST', template: '/tournaments/:id/categories', body: 'named', weight: 4, roles: SETUP },
  { method: 'POST', template: '/categories/:id/dancers', body: 'named', weight: 5, roles: SETUP },
  { method: 'POST', template: '/categories/:id/bracket', body: 'none', weight: 4, roles: SETUP },
  { method: 'POST', template: '/tournaments/:id/event-mode', body: 'eventMode', weight: 3, roles: SETUP },
  { method: 'GET', template: '/tournaments/:id/event/current', body: 'none', weight: 3, roles: ANY },
  { method: 'POST', template: '/battles/:id/start', body: 'none', weight: 4, roles: ['mc'] },
  { method: 'POST', template: '/battles/:id/votes', body: 'vote', weight: 5, roles: ['judge'] },
  { method: 'POST', template: '/battles/:id/complete', body: 'none', weight: 4, roles: ['mc', 'staff'] },
];

/** Path ids: mostly small (rows that exist), then every spelling parseId must refuse, then arbitrary text. */
const pathId = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 12 }).map(String) },
  { weight: 2, arbitrary: fc.integer({ min: 13, max: 60 }).map(String) },
  { weight: 2, arbitrary: fc.constantFrom('0', '-1', '01', '2147483647', '2147483648', '99999999999', '1e3', '0x10', '1.0', '+1', 'abc', '%00', '%20', '%E0%A4%A', '%zz', '%2F', '..', 'null', '%F0%9F%92%83') },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map(encodeURIComponent) },
);

const queryString = fc.oneof(
  { weight: 6, arbitrary: fc.constant('') },
  { weight: 2, arbitrary: fc.array(fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })), { minLength: 1, maxLength: 3 }).map((pairs) => `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`) },
  { weight: 1, arbitrary: fc.constantFrom('?a[b]=1&a[c]=2', '?%zz', '?&&==', '?name=x&name=y', '?__proto__[x]=1', '?page=-1&limit=1e9') },
);

/** Request bodies as bytes: mostly JSON of a near-valid value, sometimes not JSON at all, rarely over the 16 kB limit. */
function encodedBody(kind: keyof typeof BODIES): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 8, arbitrary: VALID_BODIES[kind]!.map((value) => (value === undefined ? undefined : JSON.stringify(value))) },
    { weight: 12, arbitrary: BODIES[kind]!.map((value) => (value === undefined ? undefined : JSON.stringify(value))) },
    { weight: 2, arbitrary: anyJson.map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.constantFrom('{', '{"name":', 'null', '[]', '"str"', '{"a":1}{"b":2}', '\u0000', '{"name":"\\ud800"}', '{"name":"\\u0000"}', '  ') },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant(`{"name":"${'x'.repeat(17_000)}"}`) },
  );
}

const role = fc.constantFrom(...FUZZ_ROLES);

const auth: fc.Arbitrary<Auth> = fc.oneof(
  { weight: 10, arbitrary: role.map((r): Auth => ({ kind: 'bearer', role: r })) },
  { weight: 2, arbitrary: role.map((r): Auth => ({ kind: 'cookie', role: r })) },
  { weight: 2, arbitrary: fc.constant<Auth>({ kind: 'none' }) },
  { weight: 1, arbitrary: role.map((r): Auth => ({ kind: 'tampered', role: r })) },
  {
    weight: 1,
    arbitrary: fc
      .oneof(fc.constantFrom('Bearer', 'Bearer ', 'Bearer a.b.c', 'Basic YWRtaW46YWRtaW4=', 'bearer x', 'Bearer  x  ', 'Token abc'), fc.stringMatching(/^[\x21-\x7e ]{0,40}$/))
      .map((value): Auth => ({ kind: 'raw-authorization', value })),
  },
  { weight: 1, arbitrary: fc.oneof(fc.constantFrom('session=', 'session=%E0%A4%A', 'session="x"', 'a=1; session=x.y.z', '=;;='), fc.stringMatching(/^[\x21-\x7e ]{0,40}$/)).map((value): Auth => ({ kind: 'raw-cookie', value })) },
);

/** Header values the Node client can send (visible ASCII and spaces). */
const headerValue = fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,30}$/);

/** Usually absent; now and then one of `values`. */
const rarely = (values: fc.Arbitrary<string>, weight = 1) => fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight, arbitrary: values });

/**
 * Headers beside auth. A body goes as application/json unless the generator
 * picked another content type, or `(none)` to send no content type at all.
 */
const extraHeaders = fc
  .record({
    'content-type': rarely(
      fc.oneof(
        fc.constantFrom('(none)', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'application/vnd.api+json', 'multipart/form-data; boundary=x'),
        headerValue,
      ),
      2,
    ),
    'content-encoding': rarely(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'compress', 'x-nope')),
    accept: rarely(fc.oneof(fc.constantFrom('application/json', 'text/html', '*/*'), headerValue)),
    'x-forwarded-for': rarely(headerValue),
  })
  .map((headers) => Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== undefined)) as Record<string, string>);

/** One request to a registered route, or now and then to a random method and path. */
export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc
      .constantFrom(...ROUTES.flatMap((r) => Array.from({ length: r.weight }, () => r)))
      .chain((route) =>
        fc.record({
          method: fc.constant(route.method),
          path: fc.tuple(pathId, queryString).map(([id, query]) => route.template.replace(':id', id) + query),
          auth: fc.oneof(auth, fc.constantFrom(...route.roles).map((r): Auth => ({ kind: 'bearer', role: r }))),
          headers: extraHeaders,
          body: encodedBody(route.body),
        }),
      ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
      path: fc.array(fc.oneof(fc.constantFrom('tournaments', 'battles', 'categories', 'auth', 'me', '1', '..', '%2e%2e', '%zz'), fc.string({ maxLength: 8 }).map(encodeURIComponent)), { maxLength: 4 }).map((parts) => `/${parts.join('/')}`),
      auth,
      headers: extraHeaders,
      body: encodedBody('named'),
    }),
  },
);

// ------------------------------------------------------------------- running

/** Sends one request with a hard timeout; a hang is a finding, reported as status 0. */
export function send(target: FuzzTarget, agent: Agent, req: FuzzRequest, token: string | undefined): Promise<FuzzResponse> {
  const headers: Record<string, string> = { ...req.headers };
  if (headers['content-type'] === '(none)') delete headers['content-type'];
  else if (req.body !== undefined) headers['content-type'] ??= 'application/json';
  if (req.auth.kind === 'bearer' || req.auth.kind === 'tampered') headers.authorization = `Bearer ${token}`;
  if (req.auth.kind === 'cookie') headers.cookie = `session=${token}`;
  if (req.auth.kind === 'raw-authorization') headers.authorization = req.auth.value;
  if (req.auth.kind === 'raw-cookie') headers.cookie = req.auth.value;
  if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
  const url = new URL(target.url);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost' && url.hostname !== '[::1]') throw new Error(`The fuzz only targets loopback, not ${url.hostname}`);

  return new Promise((resolve) => {
    const outgoing = request({ host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (error) => resolve({ status: 0, contentType: '', body: `response error: ${error.message}` }));
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    outgoing.on('error', (error) => resolve({ status: 0, contentType: '', body: `request error: ${error.message}` }));
    outgoing.end(req.body);
  });
}

/** What is wrong with an answer, or null when it keeps the API's promise. */
export function problemWith(res: FuzzResponse): string | null {
  if (res.status === 0) return `no HTTP answer (${res.body})`;
  if (res.status >= 500) return `a ${res.status}: ${res.body.slice(0, 300)}`;
  if (res.status >= 400) {
    if (!/^application\/json\b/.test(res.contentType)) return `a ${res.status} that is not JSON (${res.contentType}): ${res.body.slice(0, 200)}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.body);
    } catch {
      return `a ${res.status} whose JSON does not parse: ${res.body.slice(0, 200)}`;
    }
    const top = parsed as { error?: { code?: unknown; message?: unknown } } | null;
    const keysOk = top !== null && typeof top === 'object' && !Array.isArray(top) && Object.keys(top).join() === 'error';
    const error = top?.error;
    const errorKeys = error && typeof error === 'object' ? Object.keys(error) : [];
    const shapeOk =
      keysOk &&
      typeof error?.code === 'string' &&
      ERROR_CODES.has(error.code as ErrorCode) &&
      typeof error.message === 'string' &&
      error.message.length > 0 &&
      errorKeys.every((key) => key === 'code' || key === 'message' || key === 'details');
    if (!shapeOk) return `a ${res.status} not in the shape { error: { code, message, details? } }: ${res.body.slice(0, 200)}`;
    return null;
  }
  if (res.status === 204) return res.body === '' ? null : `a 204 with a body: ${res.body.slice(0, 100)}`;
  if (/^application\/json\b/.test(res.contentType)) {
    try {
      JSON.parse(res.body);
    } catch {
      return `a ${res.status} whose JSON does not parse: ${res.body.slice(0, 200)}`;
    }
  }
  return null;
}

export interface FuzzReport {
  cases: number;
  ms: number;
  /** How many answers had each status, to show the fuzz reached past validation. */
  statuses: Record<number, number>;
}

/**
 * Runs `cases` generated requests against the target, one at a time, and
 * throws (with fast-check's seed and counterexample) at the first answer that
 * breaks the promise, or when `timeLimitMs` runs out before the last case.
 */
export async function runFuzz(target: FuzzTarget, options: { cases: number; timeLimitMs: number; seed?: number }): Promise<FuzzReport> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const tokens = new Map<Role, string>();
  const tokenFor = async (r: Role) => {
    if (!tokens.has(r)) tokens.set(r, await target.freshToken(r));
    return tokens.get(r)!;
  };
  const statuses: Record<number, number> = {};
  let cases = 0;
  const started = Date.now();
  try {
    await fc.assert(
      fc.asyncProperty(fuzzRequest, async (req) => {
        let token: string | undefined;
        if (req.auth.kind === 'bearer' || req.auth.kind === 'cookie') token = await tokenFor(req.auth.role);
        if (req.auth.kind === 'tampered') token = tamper(await tokenFor(req.auth.role));
        const res = await send(target, agent, req, token);
        cases += 1;
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        // A logout with a real token ends that user's sessions: the role gets a new user for the next cases.
        if (req.path.startsWith('/auth/logout') && res.status === 204 && token !== undefined && req.auth.kind !== 'tampered') tokens.delete((req.auth as { role: Role }).role);
        const problem = problemWith(res);
        if (problem) throw new Error(`${req.method} ${req.path} answered ${problem}`);
      }),
      { numRuns: options.cases, interruptAfterTimeLimit: options.timeLimitMs, markInterruptAsFailure: true, seed: options.seed, endOnFailure: true },
    );
  } finally {
    agent.destroy();
  }
  return { cases, ms: Date.now() - started, statuses };
}

/** The token with its payload swapped for another subject: the signature no longer matches. */
function tamper(token: string): string {
  const [header, , signature] = token.split('.');
  const payload = Buffer.from(JSON.stringify({ sub: '1', exp: 4_102_444_800, iat: 1 })).toString('base64url');
  return `${header}.${payload}.${signature}`;
}
