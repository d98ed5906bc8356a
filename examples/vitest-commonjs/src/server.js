// Production entry point: DATABASE_URL=postgres://... node src/server.js
const app = require('./app');
app.listen(Number(process.env.PORT) || 3000);
