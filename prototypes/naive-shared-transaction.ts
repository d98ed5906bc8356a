// The home-made ways of sharing a test's transaction with the app, written the
// way a developer writes them after meeting the invisible-fixture bug. Each one
// fixes that bug and misses one piece of the kit; the prototype that uses it
// shows what that piece is for. They need `Sequelize.useCLS(clsNamespace)`.
import type { RequestHandler } from 'express';
import type { Sequelize, Transaction } from 'sequelize';
import { clsNamespace } from '../src/testing/index.ts';

export class NaiveSharedTransaction {
  /** The transaction of the test that is running now, and its Sequelize instance, for the overrides. */
  private current: { sequelize: Sequelize; transaction: Transaction } | undefined;
  private savepoints = 0;

  /**
   * Runs a test body inside a fresh transaction bound in CLS (so its queries
   * need no `transaction` option), then rolls the transaction back.
   */
  async run<T>(sequelize: Sequelize, body: (transaction: Transaction) => Promise<T>): Promise<T> {
    const transaction = await sequelize.transaction();
    this.current = { sequelize, transaction };
    try {
      return await clsNamespace.run(() => {
        clsNamespace.set('transaction', transaction);
        return body(transaction);
      });
    } finally {
      this.current = undefined;
      await transaction.rollback();
    }
  }

  /**
   * Naive override 1: every request runs in the test's transaction, bound in
   * CLS. Missing: a savepoint per request, so one failed statement aborts the
   * whole transaction (25P02); and app transactions are not turned into savepoints.
   */
  bindOverride(): RequestHandler {
    return (_req, _res, next) => {
      clsNamespace.run(() => {
        clsNamespace.set('transaction', this.current?.transaction);
        next();
      });
    };
  }

  /**
   * Naive override 2: as above plus a SAVEPOINT per request, released after a
   * success and rolled back to after an error response. Missing: the lock that
   * makes the requests of one test take turns on their single connection.
   */
  savepointOverride(): RequestHandler {
    return (_req, res, next) => {
      if (!this.current) throw new Error('a request arrived outside NaiveSharedTransaction.run()');
      const { sequelize, transaction } = this.current;
      const name = `naive_request_${++this.savepoints}`;
      const sql = (statement: string) => sequelize.query(statement, { transaction });
      sql(`SAVEPOINT ${name}`).then(() => {
        res.once('finish', () => {
          // Once the response is out nobody is listening any more: a failure here is only logged.
          sql(res.statusCode >= 400 ? `ROLLBACK TO SAVEPOINT ${name}` : `RELEASE SAVEPOINT ${name}`).catch((error: unknown) =>
            console.warn(`[naive override] could not settle ${name}:`, (error as Error).message),
          );
        });
        clsNamespace.run(() => {
          clsNamespace.set('transaction', transaction);
          next();
        });
      }, next);
    };
  }
}
