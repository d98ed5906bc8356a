// Production entry point: DATABASE_URL=postgres://... node src/server.js
const { createDatabase } = require('./db');
const { createApp } = require('./app');

if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is not set');
createApp(createDatabase(process.env.DATABASE_URL)).listen(Number(process.env.PORT) || 3000);
