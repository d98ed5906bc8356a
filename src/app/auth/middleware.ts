import type { RequestHandler, Response } from 'express';
import { HttpError } from '../errors.ts';
import type { Models, Role, UserInstance } from '../models/index.ts';
import { tokenFromRequest, verifySessionToken } from './session.ts';

/** The signed-in user of this request, set by `requireUser`. */
export function currentUser(res: Response): UserInstance {
  const user = res.locals.user as UserInstance | undefined;
  if (!user) throw new HttpError(401, 'unauthenticated', 'Sign in first');
  return user;
}

export type RequireUser = (...roles: Role[]) => RequestHandler;

/**
 * Builds `requireUser(...roles)`: a middleware that verifies the session token
 * (401 when missing, invalid, expired, or its user no longer exists) and then
 * the role (403). No roles means any signed-in user.
 *
 * The user is loaded from the database on every request, never trusted from the
 * token: a deleted user's token stops working at once, and even authentication
 * depends on seeing rows the test created.
 */
export function userGuard(models: Models, secret: string): RequireUser {
  return (...roles) =>
    async (req, res, next) => {
      const { token, malformed } = tokenFromRequest(req);
      if (malformed) throw new HttpError(401, 'unauthenticated', 'The Authorization header must be "Bearer <token>"');
      if (!token) throw new HttpError(401, 'unauthenticated', 'Sign in first: no session cookie or bearer token');
      const verified = await verifySessionToken(token, secret);
      if (!verified.ok) {
        throw new HttpError(401, 'unauthenticated', verified.reason === 'expired' ? 'The session has expired' : 'The session token is invalid');
      }
      const user = await models.User.findByPk(verified.userId);
      if (!user) throw new HttpError(401, 'unauthenticated', 'The session belongs to a user that no longer exists');
      if (roles.length > 0 && !roles.includes(user.role)) {
        throw new HttpError(403, 'forbidden', `This action needs one of the roles: ${roles.join(', ')}`, { role: user.role, allowed: roles });
      }
      res.locals.user = user;
      next();
    };
}
