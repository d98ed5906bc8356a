// An innocent file of the same worker database: it relies on users' unique email.
import { expect } from 'vitest';
import { Person } from '../toy-app.ts';
import { test } from './toy-fixtures.ts';

test('a second user with the same email is refused', async () => {
  await Person.create({ email: 'same@example.com', name: 'First' });
  // A nested transaction is a savepoint under the kit, so the failure does not abort the test's transaction.
  await expect(Person.sequelize!.transaction((t) => Person.create({ email: 'same@example.com', name: 'Second' }, { transaction: t }))).rejects.toMatchObject({ name: 'SequelizeUniqueConstraintError' });
});
