// Signing in for real: login with a factory user's password, then the session
// travels as the HttpOnly cookie or as a bearer token; logout clears the cookie.
import { test, expect } from '../../e2e/fixtures.ts';
import { FACTORY_PASSWORD } from '../../e2e/factories.ts';
import { errorBody, withTimeout } from './support.ts';

/** `name=value` of the `session` cookie in a response's Set-Cookie headers. */
function sessionCookie(setCookie: string[] | undefined): string {
  const header = setCookie?.find((c) => c.startsWith('session='));
  if (!header) throw new Error(`no session cookie in ${JSON.stringify(setCookie)}`);
  return header;
}

test('when a user logs in with the right password, then 200 with the user, a token and an HttpOnly session cookie', async ({ factories, clientFor }) => {
  const user = await factories.user('staff');
  const anonymous = withTimeout(await clientFor());

  const res = await anonymous.post('/auth/login', { email: user.email, password: FACTORY_PASSWORD });

  expect(res.status).toBe(200);
  expect(res.data.user).toEqual({ id: user.id, email: user.email, name: user.name, role: 'staff', createdAt: expect.any(String), updatedAt: expect.any(String) });
  expect(res.data.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  const cookie = sessionCookie(res.headers['set-cookie']);
  expect(cookie).toMatch(/; HttpOnly/);
  expect(cookie).toMatch(/; SameSite=Lax/);
  expect(cookie).toMatch(/; Path=\//);
});

test('when the email is typed in capitals, then login still succeeds', async ({ factories, clientFor }) => {
  const user = await factories.user('judge');

  const res = await withTimeout(await clientFor()).post('/auth/login', { email: user.email.toUpperCase(), password: FACTORY_PASSWORD });

  expect(res.status).toBe(200);
  expect(res.data.user.id).toBe(user.id);
});

test('when the session cookie from login is sent, then /auth/me is that user', async ({ factories, clientFor }) => {
  const user = await factories.user('mc');
  const anonymous = withTimeout(await clientFor());
  const login = await anonymous.post('/auth/login', { email: user.email, password: FACTORY_PASSWORD });
  const cookie = sessionCookie(login.headers['set-cookie']).split(';')[0]!;

  const me = await anonymous.get('/auth/me', { headers: { cookie: `theme=dark; ${cookie}` } });

  expect(me.status).toBe(200);
  expect(me.data).toMatchObject({ id: user.id, email: user.email, role: 'mc' });
});

test('when the token from login is sent as a bearer token, then /auth/me is that user', async ({ factories, clientFor }) => {
  const user = await factories.user('admin');
  const anonymous = withTimeout(await clientFor());
  const { data } = await anonymous.post('/auth/login', { email: user.email, password: FACTORY_PASSWORD });

  const me = await anonymous.get('/auth/me', { headers: { authorization: `Bearer ${data.token}` } });

  expect(me.status).toBe(200);
  expect(me.data.id).toBe(user.id);
});

test('when /auth/me answers, then it never contains the password hash', async ({ clientFor }) => {
  const me = await withTimeout(await clientFor('judge')).get('/auth/me');

  expect(me.status).toBe(200);
  expect(Object.keys(me.data).sort()).toEqual(['createdAt', 'email', 'id', 'name', 'role', 'updatedAt']);
  expect(JSON.stringify(me.data)).not.toMatch(/scrypt|password/i);
});

test('when a bearer token and a cookie are both sent, then the bearer token decides', async ({ factories, clientFor }) => {
  const user = await factories.user('staff');
  const anonymous = withTimeout(await clientFor());
  const login = await anonymous.post('/auth/login', { email: user.email, password: FACTORY_PASSWORD });
  const cookie = sessionCookie(login.headers['set-cookie']).split(';')[0]!;

  const res = await anonymous.get('/auth/me', { headers: { cookie, authorization: 'Bearer broken' } });

  expect(res.status).toBe(401);
  expect(res.data).toEqual(errorBody('unauthenticated'));
});

test('when a user logs out, then 204 and the session cookie is cleared', async ({ clientFor }) => {
  const res = await withTimeout(await clientFor('staff')).post('/auth/logout');

  expect(res.status).toBe(204);
  const cleared = sessionCookie(res.headers['set-cookie']);
  expect(cleared).toMatch(/^session=;/);
  expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
});

test('when nobody is signed in, then /auth/me is 401', async ({ clientFor }) => {
  const res = await withTimeout(await clientFor()).get('/auth/me');

  expect(res.status).toBe(401);
  expect(res.data).toEqual(errorBody('unauthenticated'));
});
