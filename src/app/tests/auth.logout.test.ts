// Logout ends the session everywhere, not only in the browser that sent it: a
// copied token must stop working too. Before, logout only cleared the cookie and
// the token stayed valid until its exp. Now every token of the user issued
// before the logout is refused (the user's updated_at is the session version).
import { test, expect } from '../../e2e/fixtures.ts';
import { FACTORY_PASSWORD } from '../../e2e/factories.ts';
import { errorBody, withTimeout } from './support.ts';

test('when a user logs out with a bearer token, then that token gets 401', async ({ factories, clientFor }) => {
  const user = await factories.user('staff');
  const anonymous = withTimeout(await clientFor());
  const { data } = await anonymous.post('/auth/login', { email: user.email, password: FACTORY_PASSWORD });
  const auth = { headers: { authorization: `Bearer ${data.token}` } };
  expect((await anonymous.get('/auth/me', auth)).status).toBe(200);

  const logout = await anonymous.post('/auth/logout', undefined, auth);
  const after = await anonymous.get('/auth/me', auth);

  expect(logout.status).toBe(204);
  expect(after.status).toBe(401);
  expect(after.data).toEqual(errorBody('unauthenticated'));
  expect(after.data.error.message).toMatch(/signed out/);
});

test('when a user logs out with the cookie, then a copy of the same token sent as bearer gets 401', async ({ factories, clientFor }) => {
  const user = await factories.user('judge');
  const anonymous = withTimeout(await clientFor());
  const { data } = await anonymous.post('/auth/login', { email: user.email, password: FACTORY_PASSWORD });

  expect((await anonymous.post('/auth/logout', undefined, { headers: { cookie: `session=${data.token}` } })).status).toBe(204);
  const stolen = await anonymous.get('/tournaments', { headers: { authorization: `Bearer ${data.token}` } });

  expect(stolen.status).toBe(401);
});

test('when a user logs out, then every earlier session of that user ends, and other users keep theirs', async ({ factories, clientFor }) => {
  const user = await factories.user('admin');
  const other = await factories.user('admin');
  const anonymous = withTimeout(await clientFor());
  const login = (email: string) => anonymous.post('/auth/login', { email, password: FACTORY_PASSWORD }).then((r) => r.data.token as string);
  const [laptop, phone, otherToken] = [await login(user.email), await login(user.email), await login(other.email)];
  const me = (token: string) => anonymous.get('/auth/me', { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);

  await anonymous.post('/auth/logout', undefined, { headers: { authorization: `Bearer ${laptop}` } });

  expect({ laptop: await me(laptop), phone: await me(phone), other: await me(otherToken) }).toEqual({ laptop: 401, phone: 401, other: 200 });
});

test('when a user logs in again after logging out, then the new token works', async ({ factories, clientFor }) => {
  const user = await factories.user('mc');
  const anonymous = withTimeout(await clientFor());
  const first = (await anonymous.post('/auth/login', { email: user.email, password: FACTORY_PASSWORD })).data.token as string;
  await anonymous.post('/auth/logout', undefined, { headers: { authorization: `Bearer ${first}` } });

  const second = (await anonymous.post('/auth/login', { email: user.email, password: FACTORY_PASSWORD })).data.token as string;
  const me = await anonymous.get('/auth/me', { headers: { authorization: `Bearer ${second}` } });

  expect(me.status).toBe(200);
  expect(me.data.id).toBe(user.id);
});

test('when logout is sent with no token or a broken one, then 204 and the cookie is cleared', async ({ clientFor }) => {
  const anonymous = withTimeout(await clientFor());

  const none = await anonymous.post('/auth/logout');
  const broken = await anonymous.post('/auth/logout', undefined, { headers: { authorization: 'Bearer not.a.jwt' } });

  expect([none.status, broken.status]).toEqual([204, 204]);
  expect(broken.headers['set-cookie']?.some((c: string) => /^session=;/.test(c))).toBe(true);
});
