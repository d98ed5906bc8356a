// A second fixtures module: importing both this and toy-fixtures.ts in one file is the misuse.
import { createSequelize } from '../../../db/sequelize.ts';
import { createSharedSessionTest } from '../../vitest.ts';
import { connectToy, createToyApp } from '../toy-app.ts';

export const test = createSharedSessionTest({
  connect: (url) => connectToy(createSequelize(url)),
  createApp: (_app, override) => createToyApp(override),
  signIn: async () => ({}),
});
