// Runs code as the body of a test whose session the test drives itself
// (TestSession.begin/end), with that session's transaction in the kit's CLS context.
import { kitStorage } from '../cls.ts';
import type { TestSession } from '../session.ts';

export const inSession = <T>(session: TestSession, fn: () => Promise<T>): Promise<T> =>
  kitStorage.run({ values: new Map([['transaction', session.transaction]]), session }, fn);
