// The app's session tokens: "<user id>.<HMAC of the id>".
const { createHmac, timingSafeEqual } = require('node:crypto');

const secret = () => process.env.TOKEN_SECRET || 'dev-secret';
const mac = (id) => createHmac('sha256', secret()).update(String(id)).digest('base64url');

function sign(userId) {
  return `${userId}.${mac(userId)}`;
}

function verify(token) {
  const [id, signature = ''] = String(token).split('.');
  const expected = Buffer.from(mac(id));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? Number(id) : undefined;
}

module.exports = { sign, verify };
