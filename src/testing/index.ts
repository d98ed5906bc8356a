/**
 * The shared-session E2E kit: one transaction per test, shared by fixtures and
 * by every HTTP request the test makes, rolled back at the end.
 *
 * This entry point is the runner-free core; each test runner has an adapter
 * (`./vitest.ts` for Vitest 4.1). See docs/copying-the-kit.md.
 *
 * @example
 * ```ts
 * import { FileKit } from './src/testing/index.ts';
 * const kit = await FileKit.open(wiring, databaseUrl);
 * await kit.runTest('a test', async () => { await kit.clientFor('admin'); });
 * await kit.close();
 * ```
 *
 * @packageDocumentation
 */
export { clsNamespace, kitStorage, currentContext, outsideAnyTest, type ClsNamespace, type KitContext, type LockLease } from './cls.ts';
export { SharedSessionError, TESTING_SECTIONS, type TestingSection } from './errors.ts';
export { Mutex } from './lock.ts';
export { TestSession, DEFAULT_LOCK_TIMEOUT_MS } from './session.ts';
export { releaseTestConnections, PRE_OPENED_FRESH_MS } from './test-connections.ts';
export { installQueryGuard, escapedQueryError, afterEndError, lockTimeoutError } from './query-guard.ts';
export { createRequestOverride, type RequestOverride, type SessionSource } from './request-override.ts';
export { startTestServer, createTestClient, type TestServer } from './test-server.ts';
export { workerDatabaseUrl, createScratchDatabase, providedDatabase, publishDatabaseInfo, DATABASE_INFO_ENV, type ScratchDatabase, type SharedSessionDatabaseInfo } from './databases.ts';
export { countRows, DEFAULT_REFERENCE_TABLES } from './row-counts.ts';
export { checkWorkerDatabase, checkDatabaseAgainstTemplate, countTableRows, schemaFingerprint, diffSchemas, inspectDatabase, type SchemaFingerprint, type SchemaObject, type DatabaseInspection, type CheckOptions, type Queryable } from './schema-fingerprint.ts';
export { createGlobalSetup, type GlobalSetupOptions } from './global-setup.ts';
export { FileKit, hasDeferrableConstraints, noContextError, type SharedSessionWiring, type SharedTransaction, type FileKitOptions, type StartedTest, type TestRunOptions } from './file-kit.ts';
export { RunningTests } from './running-tests.ts';
export { TEST_ID_HEADER, outsideTestError } from './request-override.ts';
export { DEFAULT_TEARDOWN_WAIT_MS, type TestSessionOptions, type TransactionOpener, type RawConnection, type OpenAppTransaction } from './session.ts';
export { outsideAnyTestError, sqlText, type QueryGuardOptions } from './query-guard.ts';
export type { RequestInfo } from './cls.ts';
