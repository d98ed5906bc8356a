// A process can hold two copies of the kit: its ESM and CommonJS builds, or a
// module graph loaded twice (vi.resetModules, a test runner's registry). An
// error made by one copy must still be `instanceof SharedSessionError` of the other.
import { expect, test } from 'vitest';
import { SharedSessionError, TESTING_SECTIONS } from '../errors.ts';

test('when another copy of the kit throws its error, then instanceof still recognises it', async () => {
  const secondCopy = '../errors.ts?second-copy';
  const other = (await import(/* @vite-ignore */ secondCopy)) as typeof import('../errors.ts');
  expect(other.SharedSessionError).not.toBe(SharedSessionError); // really a second class

  const error = new other.SharedSessionError('from the other copy', TESTING_SECTIONS.leak);

  expect(error).toBeInstanceOf(SharedSessionError);
  expect(new Error('plain')).not.toBeInstanceOf(SharedSessionError);
});
