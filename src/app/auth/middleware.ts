import type { Request, RequestHandler, Response } from 'express';
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
 * Session revocation without a session table: `users.updated_at` is the user's
 * session version. A token is current only if it was issued at or after the
 * user's last change, so logout (which touches the row) ends every session of
 * that user issued before it, and so would any later change to the user (a
 * role or password change should end sessions too). The same rule as Firebase's
 * `tokensValidAfterTime`. A dedicated column would read better; it needs a
 * migration, and this needs none.
 */
export function sessionIsCurrent(user: UserInstance, issuedAtMs: number): boolean {
  return issuedAtMs >= user.updatedAt.getTime();
}

/**
 * Ends every session of `user` issued up to now: moves the session version one
 * millisecond past both now and its old value (never backwards, and a token
 * minted in this very millisecond is ended too).
 */
export async function endSessions(models: Models, user: UserInstance): Promise<void> {
  // One statement, computed from the stored value, so two logouts at once
  // cannot move the version backwards. Plain SQL because Model.update replaces
  // an explicit updatedAt with its own timestamp. Timestamps are truncated to
  // milliseconds: that is what a JavaScript Date (and so the check) sees.
  await models.User.sequelize!.query(
    `UPDATE users SET updated_at = GREATEST(date_trunc('milliseconds', updated_at) + interval '1 millisecond', $1::timestamptz) WHERE id = $2`,
    { bind: [new Date(Date.now() + 1).toISOString(), user.id] },
  );
}

/**
 * The user a request's session token names, or why there is none (the
 * messages of the 401s). Also used by logout, which must not fail on a bad token.
 */
export async function sessionUser(models: Models, secret: string, req: Request): Promise<{ user: UserInstance } | { error: string }> {
  const { token, malformed } = tokenFromRequest(req);
  if (malformed) return { error: 'The Authorization header must be "Bearer <token>"' };
  if (!token) return { error: 'Sign in first: no session cookie or bearer token' };
  const verified = await verifySessionToken(token, secret);
  if (!verified.ok) return { error: verified.reason === 'expired' ? 'The session has expired' : 'The session token is invalid' };
  const user = await models.User.findByPk(verified.userId);
  if (!user) return { error: 'The session belongs to a user that no longer exists' };
  if (!sessionIsCurrent(user, verified.issuedAtMs)) return { error: 'The session has ended (signed out); sign in again' };
  return { user };
}

/**
 * Builds `requireUser(...roles)`: a middleware that verifies the session token
 * (401 when missing, invalid, expired, ended by logout, or its user no longer exists) and then
 * the role (403). No roles means any signed-in user.
 *
 * The user is loaded from the database on every request, never trusted from the
 * token: a deleted user's token stops working at once, and even authentication
 * depends on seeing rows the test created.
 */
export function userGuard(models: Models, secret: string): RequireUser {
  return (...roles) =>
    async (req, res, next) => {
      const session = await sessionUser(models, secret, req);
      if ('error' in session) throw new HttpError(401, 'unauthenticated', session.error);
      const { user } = session;
      if (roles.length > 0 && !roles.includes(user.role)) {
        throw new HttpError(403, 'forbidden', `This action needs one of the roles: ${roles.join(', ')}`, { role: user.role, allowed: roles });
      }
      res.locals.user = user;
      next();
    };
}
