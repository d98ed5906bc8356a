// The kit wired to the toy app, as a project's fixtures module would be.
import { createSequelize } from '../../../db/sequelize.ts';
import { createSharedSessionTest } from '../../vitest.ts';
import { connectToy, createToyApp } from '../toy-app.ts';

export const test = createSharedSessionTest({
  connect: (url) => connectToy(createSequelize(url)),
  createApp: (_app, override) => createToyApp(override),
  signIn: async () => ({}),
});
