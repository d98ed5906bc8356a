// Session tokens: "<user id>.<HMAC of it>". The login route and the tests mint them the same way.
const { createHmac, timingSafeEqual } = require('node:crypto');

const secret = () => process.env.TOKEN_SECRET ?? 'example-secret';
const sign = (id) => createHmac('sha256', secret()).update(String(id)).digest('base64url');

exports.tokenFor = (user) => `${user.id}.${sign(user.id)}`;

exports.userIdFrom = (token) => {
  const [id, signature = ''] = String(token).split('.');
  const expected = sign(id);
  return signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected)) ? Number(id) : undefined;
};
