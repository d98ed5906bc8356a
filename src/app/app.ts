import express from 'express';
import type { Sequelize } from 'sequelize';
import type { Models } from './models/index.ts';
import { userGuard } from './auth/middleware.ts';
import { authRouter } from './auth/routes.ts';
import { checkSessionSecret, signSessionToken } from './auth/session.ts';
import { HttpError, errorHandler, unknownRoute } from './errors.ts';
import { tournamentsRouter } from './routes/tournaments.ts';
import { categoriesRouter } from './routes/categories.ts';
import { eventRouter } from './routes/event.ts';
import { battlesRouter } from './routes/battles.ts';

export interface AppOptions {
  sequelize: Sequelize;
  models: Models;
  /** HS256 key for session tokens: at least 32 bytes, else `createApp` throws. */
  sessionSecret: string;
  /**
   * TEST-ONLY. Injected by the test kit to run each request inside the test's
   * shared transaction, and mounted FIRST, before every other middleware, so
   * that everything a request does (authentication included) runs inside it.
   * Only code that builds the app can pass it: nothing in a request (header,
   * cookie, query) or in the environment can switch it on, and `src/server.ts`
   * never does.
   */
  testRequestOverride?: express.RequestHandler;
}

/** The request body limit: the API's bodies are a few fields, anything larger is a 413. */
export const JSON_LIMIT = '16kb';

/** Builds the tournament API. Creates no connections of its own: everything goes through `options.sequelize`. */
export function createApp(options: AppOptions): express.Express {
  const { sequelize, models, sessionSecret } = options;
  checkSessionSecret(sessionSecret);
  const app = express();
  if (options.testRequestOverride) app.use(options.testRequestOverride);

  app.disable('x-powered-by');
  app.use(express.json({ limit: JSON_LIMIT }));

  // Liveness that includes the database: a 200 means a query went through.
  app.get('/health', async (_req, res) => {
    try {
      await sequelize.query('SELECT 1');
    } catch (error) {
      console.error('Health check failed:', error);
      throw new HttpError(503, 'service_unavailable', 'The database is unreachable');
    }
    res.json({ status: 'ok' });
  });

  const requireUser = userGuard(models, sessionSecret);
  app.use(authRouter(models, sessionSecret, requireUser));
  app.use(tournamentsRouter(models, requireUser));
  app.use(categoriesRouter(sequelize, models, requireUser));
  app.use(eventRouter(sequelize, models, requireUser));
  app.use(battlesRouter(sequelize, models, requireUser));

  app.use(unknownRoute);
  app.use(errorHandler);
  return app;
}

/**
 * Mints a real session token for a user, exactly as `POST /auth/login` does, so
 * tests sign in without a password round trip and without any back door.
 */
export function signInToken(user: { id: number }, secret: string, options?: { expiresIn?: string | number }): Promise<string> {
  return signSessionToken(user.id, secret, options);
}

export { signSessionToken };
