// The app on its own, without the shared-session kit: a database of its own
// cloned from the migrated template, real commits, supertest in process, and
// the database dropped at the end. This is the "sync" style: simple, but every
// row it writes is really committed, so it needs a database nobody else uses.
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import request from 'supertest';
import type { Sequelize } from 'sequelize';
import type { Express } from 'express';
import { createDatabaseFromTemplate, dropDatabase, withDatabase } from '../../testing/admin.ts';
import { createSequelize } from '../../db/sequelize.ts';
import { createApp } from '../app.ts';
import { defineModels, type Models } from '../models/index.ts';
import { DEMO_CREDENTIALS, DEMO_TOURNAMENT, seedDemo } from '../seed.ts';

const { serverUrl, template, prefix } = inject('sharedSessionDatabase');
// Under the kit's prefix, so a crashed run's leftover is dropped by the next global setup.
const database = `${prefix}_standalone_${process.pid}`;

let sequelize: Sequelize;
let models: Models;
let app: Express;

beforeAll(async () => {
  await createDatabaseFromTemplate(serverUrl, database, template);
  sequelize = createSequelize(withDatabase(serverUrl, database));
  models = defineModels(sequelize);
  await seedDemo(models, sequelize);
  app = createApp({ sequelize, models, sessionSecret: 'standalone-test-secret-of-at-least-32-bytes' });
});

afterAll(async () => {
  await sequelize?.close();
  await dropDatabase(serverUrl, database);
});

describe('the app without the kit', () => {
  test('when the health check runs, then 200 ok', async () => {
    await request(app).get('/health').expect(200, { status: 'ok' });
  });

  test('when the seeded admin logs in and creates a tournament, then it is committed for everyone', async () => {
    const admin = DEMO_CREDENTIALS.find((c) => c.role === 'admin')!;
    const agent = request.agent(app); // keeps the session cookie between requests
    await agent.post('/auth/login').send({ email: admin.email, password: admin.password }).expect(200);

    const created = await agent.post('/tournaments').send({ name: 'Standalone Open' }).expect(201);

    // A second connection (a new Sequelize instance) sees the row: it was committed.
    const other = createSequelize(withDatabase(serverUrl, database));
    try {
      const [rows] = await other.query('SELECT name FROM tournaments WHERE id = $1', { bind: [created.body.id] });
      expect(rows).toEqual([{ name: 'Standalone Open' }]);
    } finally {
      await other.close();
    }
    const list = await agent.get('/tournaments').expect(200);
    expect(list.body.items.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining([DEMO_TOURNAMENT, 'Standalone Open']));
  });

  test('when the seeded MC, judge and MC run the first battle, then the winner moves to the final', async () => {
    const token = async (role: string) => {
      const { email, password } = DEMO_CREDENTIALS.find((c) => c.role === role)!;
      return `Bearer ${(await request(app).post('/auth/login').send({ email, password }).expect(200)).body.token as string}`;
    };
    const [mc, judge] = [await token('mc'), await token('judge')];
    const tournament = await models.Tournament.findOne({ where: { name: DEMO_TOURNAMENT } });
    const current = await request(app).get(`/tournaments/${tournament!.id}/event/current`).set('authorization', judge).expect(200);

    await request(app).post(`/battles/${current.body.id}/start`).set('authorization', mc).expect(200);
    await request(app).post(`/battles/${current.body.id}/votes`).set('authorization', judge).send({ dancerId: current.body.dancerBId }).expect(201);
    const completed = await request(app).post(`/battles/${current.body.id}/complete`).set('authorization', mc).expect(200);

    expect(completed.body).toMatchObject({ status: 'completed', winnerId: current.body.dancerBId });
    const final = await models.Battle.findOne({ where: { categoryId: current.body.categoryId, round: 2, position: 0 } });
    expect(final?.dancerAId).toBe(current.body.dancerBId);
    const next = await request(app).get(`/tournaments/${tournament!.id}/event/current`).set('authorization', judge).expect(200);
    expect(next.body).toMatchObject({ round: 1, position: 1, status: 'pending' });
  });
});
