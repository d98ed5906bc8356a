import { webcrypto } from 'node:crypto';
import { SignJWT, errors, jwtVerify } from 'jose';
import type { Request } from 'express';

export const SESSION_COOKIE = 'session';
/** Default lifetime of a session token (and of its cookie). */
export const SESSION_TTL_SECONDS = 12 * 60 * 60;

/**
 * The shortest HS256 key accepted: 32 bytes, the output size of SHA-256
 * (RFC 7518, section 3.2). A short key can be brute-forced offline from one
 * token: a one-character key was recovered in 89 tries and a token forged.
 */
export const MIN_SECRET_BYTES = 32;

/**
 * Refuses a session secret shorter than `MIN_SECRET_BYTES` (UTF-8 bytes), with
 * a one-line message that says how to make a good one. `createApp` calls it,
 * so no app can be built with a weak key; `src/server.ts` calls it before it
 * starts anything.
 */
export function checkSessionSecret(secret: string, name = 'The session secret'): void {
  const bytes = new TextEncoder().encode(secret).length;
  if (bytes < MIN_SECRET_BYTES) {
    throw new Error(
      `${name} is ${bytes} bytes; it must be at least ${MIN_SECRET_BYTES} (make one with: node -e "console.log(require('crypto').randomBytes(32).toString('hex'))")`,
    );
  }
}

/**
 * The HMAC key of a secret, imported once: jose imports a raw byte key again
 * on every sign and verify, which cost about 40 µs each (every request
 * verifies a token). A handful of secrets exist per process; the cap only
 * bounds a caller that passes many.
 */
const keys = new Map<string, Promise<webcrypto.CryptoKey>>();
const MAX_CACHED_KEYS = 16;

function keyOf(secret: string): Promise<webcrypto.CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= MAX_CACHED_KEYS) keys.clear();
    key = webcrypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(secret, key);
  }
  return key;
}

/**
 * Signs an HS256 session token whose subject is the user id. Used by login and
 * by tests alike: tests sign in with real tokens, there is no back door.
 * `expiresIn` is seconds, or a jose time span such as '2h'.
 */
export async function signSessionToken(userId: number, secret: string, options: { expiresIn?: string | number } = {}): Promise<string> {
  const expiresIn = options.expiresIn ?? SESSION_TTL_SECONDS;
  // `iat` in milliseconds (a NumericDate may be fractional, RFC 7519 section 2):
  // logout ends every session issued before it, and whole seconds could not
  // tell a token minted just before a logout from one minted just after.
  const issuedAt = Date.now() / 1000;
  const now = Math.floor(issuedAt);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(userId))
    .setIssuedAt(issuedAt)
    .setExpirationTime(typeof expiresIn === 'number' ? now + expiresIn : expiresIn)
    .sign(await keyOf(secret));
}

export type VerifyResult = { ok: true; userId: number; issuedAtMs: number } | { ok: false; reason: 'expired' | 'invalid' };

/**
 * Verifies signature, algorithm and expiry. `exp`, `iat` and `sub` are required
 * (a token without `exp` would never expire, one without `iat` could not be
 * revoked by logout); the subject must be a positive integer id.
 */
export async function verifySessionToken(token: string, secret: string): Promise<VerifyResult> {
  try {
    const { payload } = await jwtVerify(token, await keyOf(secret), { algorithms: ['HS256'], requiredClaims: ['exp', 'iat', 'sub'] });
    const userId = typeof payload.sub === 'string' && /^[1-9][0-9]{0,9}$/.test(payload.sub) ? Number(payload.sub) : NaN;
    if (!Number.isSafeInteger(userId) || userId > 2 ** 31 - 1) return { ok: false, reason: 'invalid' };
    return { ok: true, userId, issuedAtMs: payload.iat! * 1000 };
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
