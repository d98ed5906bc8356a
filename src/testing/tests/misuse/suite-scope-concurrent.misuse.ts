// Misuse: a concurrent test inside a block that runs in one transaction.
import { describe } from 'vitest';
import { useSuiteTransaction } from '../../vitest.ts';
import { test } from './toy-fixtures.ts';

describe('a suite-scoped block', () => {
  useSuiteTransaction(test);

  test.concurrent('a concurrent test inside it', async () => {});
});
