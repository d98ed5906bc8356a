// Names that PostgreSQL cannot store as sent. A NUL byte used to be escaped by
// Sequelize into a backslash and a 0 (201, and the stored name differed from
// the one sent), so a different name that really is backslash-0 then got a 409.
// Control characters and unpaired surrogates are now a 400 wherever a name or
// an email is read, and the name that really is backslash-0 is an ordinary name.
import { test, expect } from '../../e2e/fixtures.ts';
import { errorBody, withTimeout } from './support.ts';

const UNSTORABLE = [
  ['a NUL byte', 'Jam\u0000'],
  ['a tab', 'Jam\tOpen'],
  ['a newline', 'Jam\nOpen'],
  ['DEL', 'Jam\u007f'],
  ['a C1 control (NEL)', 'Jam\u0085'],
  ['an unpaired surrogate', 'Jam\ud800'],
] as const;

for (const [what, name] of UNSTORABLE) {
  test(`when a tournament name contains ${what}, then 400 and nothing is stored`, async ({ clientFor, factories }) => {
    const admin = withTimeout(await clientFor('admin'));

    const res = await admin.post('/tournaments', { name });

    expect(res.status).toBe(400);
    expect(res.data).toEqual(errorBody('validation_failed'));
    expect(res.data.error.details).toEqual([{ path: 'name', message: expect.stringMatching(/not allowed \(U\+[0-9A-F]{4} at index 3\)/) }]);
    // The factory's tournaments aside, no row has the name in any spelling.
    await factories.tournament();
    const list = await admin.get('/tournaments');
    expect(list.data.items.map((t: { name: string }) => t.name)).not.toContainEqual(expect.stringMatching(/^Jam/));
  });
}

test('when a category or a dancer name contains a NUL byte, then 400', async ({ clientFor, factories }) => {
  const staff = withTimeout(await clientFor('staff'));
  const category = await factories.category();

  const categoryRes = await staff.post(`/tournaments/${category.tournamentId}/categories`, { name: 'Top\u0000rock' });
  const dancerRes = await staff.post(`/categories/${category.id}/dancers`, { name: 'B-Boy\u0000' });
  const renameRes = await staff.patch(`/tournaments/${category.tournamentId}`, { name: 'Renamed\u0000' });

  expect([categoryRes.status, dancerRes.status, renameRes.status]).toEqual([400, 400, 400]);
  for (const res of [categoryRes, dancerRes, renameRes]) expect(res.data).toEqual(errorBody('validation_failed'));
});

test('when a login email contains a NUL byte, then 400, not a lookup of another spelling', async ({ clientFor }) => {
  const res = await withTimeout(await clientFor()).post('/auth/login', { email: 'admin@example.com\u0000', password: 'x' });

  expect(res.status).toBe(400);
  expect(res.data).toEqual(errorBody('validation_failed'));
});

test('when a name really is a backslash and a 0, then it is stored exactly as sent', async ({ clientFor }) => {
  const admin = withTimeout(await clientFor('admin'));

  const nul = await admin.post('/tournaments', { name: 'Open \u0000' });
  const backslashZero = await admin.post('/tournaments', { name: 'Open \\0' });

  expect(nul.status).toBe(400);
  expect(backslashZero.status).toBe(201);
  expect(backslashZero.data.name).toBe('Open \\0');
  expect((await admin.get(`/tournaments/${backslashZero.data.id}`)).data.name).toBe('Open \\0');
});

test('when a name has letters from any script and emoji, then it is accepted', async ({ clientFor }) => {
  const res = await withTimeout(await clientFor('admin')).post('/tournaments', { name: 'Battle für 東京 💃' });

  expect(res.status).toBe(201);
  expect(res.data.name).toBe('Battle für 東京 💃');
});
