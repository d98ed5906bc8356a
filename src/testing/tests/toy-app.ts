// A deliberately tiny app for the kit's own tests: two routes over the `users`
// table, built with nothing but node:http. It proves the kit needs no Express
// and nothing of the demo app, only the three things of the wiring.
import type { RequestListener } from 'node:http';
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
        const n = Math.random().toString(36).slice(2);
        const person = await Person.create({ email: `p-${n}@example.com`, name: n });
        return send(201, person.toJSON());
      }
      send(404, { error: { code: 'not_found', message: 'no route' } });
    })().catch((error: unknown) => send(500, { error: { code: 'internal_error', message: String(error) } }));
  };
  if (!override) return routes;
  return (req, res) => override(req, res, (error) => (error ? res.destroy(error as Error) : routes(req, res)));
}
