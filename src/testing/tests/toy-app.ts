// A deliberately tiny app for the kit's own tests: two routes over the `users`
// table, built with nothing but node:http. It proves the kit needs no Express
// and nothing of the demo app, only the three things of the wiring.
import type { IncomingMessage, RequestListener } from 'node:http';
import { DataTypes, Model, type Sequelize } from 'sequelize';
import type { RequestOverride } from '../request-override.ts';

export class Person extends Model {
  declare id: number;
  declare email: string;
  declare name: string;
}

export function connectToy(sequelize: Sequelize) {
  Person.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      email: { type: DataTypes.TEXT, allowNull: false },
      name: { type: DataTypes.TEXT, allowNull: false },
      role: { type: DataTypes.TEXT, allowNull: false, defaultValue: 'judge' },
      passwordHash: { type: DataTypes.TEXT, allowNull: false, defaultValue: 'x', field: 'password_hash' },
    },
    { sequelize, tableName: 'users', underscored: true },
  );
  return { sequelize };
}

function newPerson() {
  const n = Math.random().toString(36).slice(2);
  return { email: `p-${n}@example.com`, name: n };
}

type Send = (status: number, body: unknown) => void;

function sequelizeOf(): Sequelize {
  if (!Person.sequelize) throw new Error('connectToy() was not called');
  return Person.sequelize;
}

/**
 * Handlers that do what production code does and a test kit can get wrong:
 * write and then fail, swallow a failing statement, forget `{ transaction }`,
 * leave a transaction open, send COMMIT, write after the response, SET LOCAL.
 * The kit's fidelity tests (kit.production-fidelity.test.ts) call them.
 */
const fidelityRoutes: Record<string, (req: IncomingMessage, send: Send) => Promise<void>> = {
  async 'POST /people/then-fail'(req, send) {
    await Person.create(newPerson());
    const status = Number(new URL(req.url ?? '', 'http://x').searchParams.get('status') ?? 500);
    if (status === 0) throw new Error('the handler threw after its write');
    send(status, { error: { code: 'failed_after_write', message: 'the write happened first' } });
  },
  async 'POST /people/swallow-failure'(_req, send) {
    const person = await Person.create(newPerson());
    try {
      await sequelizeOf().query('SELECT 1 / 0');
    } catch {
      // Deliberately swallowed, as real handlers sometimes do.
    }
    send(201, person.toJSON());
  },
  async 'POST /people/transaction-without-option'(_req, send) {
    await sequelizeOf().transaction(async (transaction) => {
      await Person.create(newPerson(), { transaction });
      await Person.count(); // no { transaction }: production runs it on another connection
    });
    send(201, {});
  },
  async 'POST /people/transaction-left-open'(_req, send) {
    const transaction = await sequelizeOf().transaction();
    const person = await Person.create(newPerson(), { transaction });
    send(201, person.toJSON());
  },
  async 'POST /sql'(req, send) {
    const statement = new URL(req.url ?? '', 'http://x').searchParams.get('statement') ?? '';
    await Person.create(newPerson());
    await sequelizeOf().query(statement);
    send(200, {});
  },
  async 'POST /people/after-response'(_req, send) {
    send(202, {});
    await Person.create(newPerson());
  },
  async 'POST /people/set-local'(_req, send) {
    await sequelizeOf().transaction(async (transaction) => {
      await sequelizeOf().query('SET LOCAL search_path TO pg_catalog', { transaction });
    });
    send(200, {});
  },
  async 'GET /hang'() {
    await Person.count();
    // Never answers: the response is left open, as a buggy handler leaves it.
  },
};

export function createToyApp(override?: RequestOverride): RequestListener {
  const routes: RequestListener = (req, res) => {
    const send = (status: number, body: unknown) => {
      res.statusCode = status;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    };
    void (async () => {
      const match = /^\/people\/(\d+)$/.exec(req.url ?? '');
      if (req.method === 'GET' && match) {
        const person = await Person.findByPk(Number(match[1]));
        return person ? send(200, person.toJSON()) : send(404, { error: { code: 'not_found', message: 'no such person' } });
      }
      if (req.method === 'GET' && req.url === '/slow') {
        await Person.count();
        await new Promise((resolve) => setTimeout(resolve, 600));
        return send(200, { slow: true });
      }
      if (req.method === 'POST' && req.url === '/people') {
        const person = await Person.create(newPerson());
        return send(201, person.toJSON());
      }
      const fidelity = fidelityRoutes[`${req.method} ${(req.url ?? '').split('?')[0]}`];
      if (fidelity) return fidelity(req, send);
      send(404, { error: { code: 'not_found', message: 'no route' } });
    })().catch((error: unknown) => send(500, { error: { code: 'internal_error', message: String(error) } }));
  };
  if (!override) return routes;
  return (req, res) => override(req, res, (error) => (error ? res.destroy(error as Error) : routes(req, res)));
}
