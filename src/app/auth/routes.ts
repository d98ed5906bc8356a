import { Router, type CookieOptions } from 'express';
import { z } from 'zod';
import { HttpError } from '../errors.ts';
import { userJson, type Models } from '../models/index.ts';
import { parseBody } from '../validation.ts';
import { storableText } from '../schemas.ts';
import { currentUser, endSessions, sessionUser, type RequireUser } from './middleware.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { SESSION_COOKIE, SESSION_TTL_SECONDS, signSessionToken } from './session.ts';

const loginBody = z.strictObject({
  email: storableText(z.string().trim().min(1).max(320)),
  password: z.string().min(1).max(1024),
});

// HttpOnly keeps the token out of page scripts; SameSite=Lax blocks cross-site
// POSTs carrying it. `Secure` is left to deployments behind HTTPS (the demo runs on http://localhost).
const cookieOptions: CookieOptions = { httpOnly: true, sameSite: 'lax', path: '/' };

// Compared against when the email is unknown, so both failures take the same time.
let dummyHash: Promise<string> | undefined;

export function authRouter(models: Models, secret: string, requireUser: RequireUser): Router {
  const router = Router();

  router.post('/auth/login', async (req, res) => {
    const { email, password } = parseBody(loginBody, req);
    const user = await models.User.findOne({ where: { email: email.toLowerCase() } });
    dummyHash ??= hashPassword('not-a-real-password');
    const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyHash));
    if (!user || !valid) throw new HttpError(401, 'invalid_credentials', 'Wrong email or password');
    const token = await signSessionToken(user.id, secret);
    res.cookie(SESSION_COOKIE, token, { ...cookieOptions, maxAge: SESSION_TTL_SECONDS * 1000 });
    res.status(200).json({ token, user: userJson(user) });
  });

  // Public on purpose: logging out without a (valid) session is harmless and
  // still clears the cookie. With a valid one it ends every session of the
  // user, so a copied token stops working too, not just this browser's cookie.
  router.post('/auth/logout', async (req, res) => {
    const session = await sessionUser(models, secret, req);
    if ('user' in session) await endSessions(models, session.user);
    res.clearCookie(SESSION_COOKIE, cookieOptions);
    res.status(204).end();
  });

  router.get('/auth/me', requireUser(), (_req, res) => {
    res.json(userJson(currentUser(res)));
  });

  return router;
}
