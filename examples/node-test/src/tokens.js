'use strict';
// The app's session tokens: "<user id>.<HMAC>". Tests mint them with this same
// code (no login round trip, no password hash per test).
const { createHmac, timingSafeEqual } = require('node:crypto');

const secret = () => process.env.TOKEN_SECRET ?? 'development-secret';
const mac = (userId) => createHmac('sha256', secret()).update(String(userId)).digest('base64url');

function signToken(userId) {
  return `${userId}.${mac(userId)}`;
}

/** The user id a token was signed for, or undefined. */
function verifyToken(token) {
  const [userId, signature = ''] = String(token).split('.');
  const expected = Buffer.from(mac(userId));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? Number(userId) : undefined;
}

module.exports = { signToken, verifyToken };
