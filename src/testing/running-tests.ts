import { SharedSessionError, TESTING_SECTIONS } from './errors.ts';
import { outsideTestError, TEST_ID_HEADER } from './request-override.ts';
import type { TestSession } from './session.ts';

/** The error for a test that starts while the previous test's teardown still runs. */
function teardownStillRunningError(previous: string, next: string): SharedSessionError {
  return new SharedSessionError(
    `The previous test is still tearing down: "${next}" started while the teardown of "${previous}" was still ` +
      'running (it outlived its hook timeout).\n' +
      'Fix: raise hookTimeout, or find what kept the previous test busy (a request that never ended is cut after ' +
      'teardownWaitMs; a very slow rollback is not).',
    TESTING_SECTIONS.teardownStillRunning,
  );
}

/**
 * The tests of one file that the file's server serves: which one runs now,
 * and the identities of those that ended, so a late request of an ended test
 * gets its own refusal. FileKit keeps one per file.
 *
 * @example
 * ```ts
 * const tests = new RunningTests();
 * const override = createRequestOverride(tests);
 * tests.claim('my test');
 * tests.start(session);
 * ```
 */
export class RunningTests {
  private readonly owners = new Map<number, { name: string; state: 'running' | 'ending'; concurrent: boolean }>();
  private readonly sessions = new Map<string, TestSession>();
  private readonly ended = new Map<string, string>();
  private claims = 0;

  /**
   * Claims the file's server for `testName`, synchronously, so that two tests
   * started together cannot both pass the check. Tests marked concurrent may
   * run beside each other: each has its own transaction, and requests find
   * theirs by the identity the kit's clients send. Returns the claim to release.
   */
  claim(testName: string, options: { concurrent?: boolean } = {}): number {
    const concurrent = options.concurrent ?? false;
    for (const owner of this.owners.values()) {
      if (concurrent && owner.concurrent) continue;
      if (owner.state === 'ending') throw teardownStillRunningError(owner.name, testName);
      throw new SharedSessionError(
        `Two tests share one file server at once ("${owner.name}" and "${testName}"), and not both are marked concurrent: ` +
          'the runner started one while the other ran, so untagged requests could reach the wrong transaction.\n' +
          'Fix: mark tests that run together with `.concurrent` (`test.concurrent`, `describe.concurrent` or ' +
          '`--sequence.concurrent`): each then gets its own transaction, and its requests are routed by its identity.',
        TESTING_SECTIONS.concurrentTests,
      );
    }
    const claim = ++this.claims;
    this.owners.set(claim, { name: testName, state: 'running', concurrent });
    return claim;
  }

  /** How many tests run now (begun and not yet tearing down). */
  get runningCount(): number {
    return this.sessions.size;
  }

  /** The claimed test's session has begun: requests can reach it. */
  start(session: TestSession): void {
    this.sessions.set(session.id, session);
  }

  /** Teardown has begun: new requests of the session are refused as from an ended test. */
  ending(session: TestSession, claim?: number): void {
    const owner = claim === undefined ? undefined : this.owners.get(claim);
    if (owner) owner.state = 'ending';
    else for (const o of this.owners.values()) if (o.name === session.testName) o.state = 'ending';
    this.sessions.delete(session.id);
    this.ended.set(session.id, session.testName);
    // Identities of ended tests are kept only to explain late requests; a bounded number is plenty.
    if (this.ended.size > 1_000) this.ended.delete(this.ended.keys().next().value as string);
  }

  /** Frees the server of the test that made `claim` (of every test without one). */
  release(claim?: number): void {
    if (claim === undefined) this.owners.clear();
    else this.owners.delete(claim);
  }

  /** The session a request belongs to, or the refusal that explains why it has none. */
  route(testId: string | undefined, label: string): TestSession | SharedSessionError {
    if (testId !== undefined) {
      const session = this.sessions.get(testId);
      if (session && !session.hasEnded) return session;
      const endedName = this.ended.get(testId);
      if (endedName !== undefined) return endedTestError(endedName, label);
      return outsideTestError(`${label} (from a test this server does not know)`);
    }
    const running = [...this.sessions.values()].filter((s) => !s.hasEnded);
    if (running.length === 1) return running[0] as TestSession;
    if (running.length === 0) return outsideTestError(label);
    return new SharedSessionError(
      `Untagged request while several tests are running: ${label} carries no test identity, and ${running.length} tests ` +
        `(${running.map((s) => `"${s.testName}"`).join(', ')}) are running, so the kit cannot tell which transaction it belongs to.\n` +
        `Fix: send it with a client from \`clientFor()\`, or have your own client send the header ${TEST_ID_HEADER} ` +
          'with the test\'s id, `currentContext()?.session?.id`.',
      TESTING_SECTIONS.untaggedRequest,
    );
  }
}

function endedTestError(testName: string, label: string): SharedSessionError {
  return new SharedSessionError(
    `Request from a test that has ended: ${label} was sent by "${testName}" after that test finished (a request fired ` +
      'from a timer or a promise the test did not await). It was refused so that it cannot write into another test.\n' +
      'Fix: await every request before the test ends.',
    TESTING_SECTIONS.endedTest,
  );
}
