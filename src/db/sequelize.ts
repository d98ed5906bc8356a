import { Sequelize, type Options } from 'sequelize';

/**
 * Builds the Sequelize instance for one PostgreSQL database URL.
 * Logging is off by default: set `SQL_LOG=1` to print every statement.
 */
export function createSequelize(databaseUrl: string, options: Options = {}): Sequelize {
  return new Sequelize(databaseUrl, {
    dialect: 'postgres',
    logging: process.env.SQL_LOG === '1' ? (sql) => console.log(sql) : false,
    pool: { max: 10, min: 0, idle: 10_000, acquire: 30_000 },
    ...options,
  });
}
