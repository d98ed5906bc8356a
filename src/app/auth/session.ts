import { SignJWT, errors, jwtVerify } from 'jose';
import type { Request } from 'express';

export const SESSION_COOKIE = 'session';
/** Default lifetime of a session token (and of its cookie). */
export const SESSION_TTL_SECONDS = 12 * 60 * 60;

function keyOf(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/**
 * Signs an HS256 session token whose subject is the user id. Used by login and
 * by tests alike: tests sign in with real tokens, there is no back door.
 * `expiresIn` is seconds, or a jose time span such as '2h'.
 */
export async function signSessionToken(userId: number, secret: string, options: { expiresIn?: string | number } = {}): Promise<string> {
  const expiresIn = options.expiresIn ?? SESSION_TTL_SECONDS;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(userId))
    .setIssuedAt(now)
    .setExpirationTime(typeof expiresIn === 'number' ? now + expiresIn : expiresIn)
    .sign(keyOf(secret));
}

export type VerifyResult = { ok: true; userId: number } | { ok: false; reason: 'expired' | 'invalid' };

/** Verifies signature, algorithm and expiry; the subject must be a positive integer id. */
export async function verifySessionToken(token: string, secret: string): Promise<VerifyResult> {
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), { algorithms: ['HS256'] });
    const userId = typeof payload.sub === 'string' && /^[1-9][0-9]{0,9}$/.test(payload.sub) ? Number(payload.sub) : NaN;
    if (!Number.isSafeInteger(userId) || userId > 2 ** 31 - 1) return { ok: false, reason: 'invalid' };
    return { ok: true, userId };
  } catch (error) {
    return { ok: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
  }
}

/** Reads one cookie from the Cookie header (a few lines instead of a cookie-parser dependency). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const index = pair.indexOf('=');
    if (index < 0) continue;
    if (pair.slice(0, index).trim() !== name) continue;
    const value = pair.slice(index + 1).trim().replace(/^"(.*)"$/, '$1');
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return undefined;
}

/**
 * The token a request carries: `Authorization: Bearer` first, then the `session`
 * cookie. `malformed` means an Authorization header that is not a Bearer token.
 */
export function tokenFromRequest(req: Request): { token?: string; malformed?: boolean } {
  const authorization = req.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer +([^\s]+)\s*$/i.exec(authorization);
    return match ? { token: match[1] } : { malformed: true };
  }
  const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
  return cookie ? { token: cookie } : {};
}
