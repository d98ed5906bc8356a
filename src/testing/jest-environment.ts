/**
 * The kit's Jest test environment: jest-environment-node (an optional peer
 * dependency) made to run each test in its shared transaction.
 *
 * @example
 * ```js
 * // jest.config.js
 * module.exports = { testEnvironment: 'sequelize-shared-session/jest-environment' };
 * ```
 *
 * @packageDocumentation
 */
// @ts-expect-error -- optional peer dependency: installed by the projects that use Jest, not by this repository
import { TestEnvironment } from 'jest-environment-node';
import { sharedSessionEnvironment } from './jest.ts';

/**
 * jest-environment-node's `TestEnvironment` with {@link sharedSessionEnvironment} applied.
 *
 * @example
 * ```js
 * module.exports = { testEnvironment: 'sequelize-shared-session/jest-environment' };
 * ```
 */
const SharedSessionNodeEnvironment = sharedSessionEnvironment(TestEnvironment);
export default SharedSessionNodeEnvironment;
