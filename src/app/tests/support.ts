// Small helpers shared by the demo app's endpoint tests.
import type { AxiosInstance } from 'axios';
import { expect } from '../../e2e/fixtures.ts';
import type { ErrorCode } from '../errors.ts';

export type Role = 'admin' | 'staff' | 'mc' | 'judge';
export const ROLES: Role[] = ['admin', 'staff', 'mc', 'judge'];

/** Every error answer has this shape; `code` is the specific one expected. */
export function errorBody(code: ErrorCode) {
  return { error: expect.objectContaining({ code, message: expect.any(String) }) };
}

/** A client that gives up after 5 s, so a hanging request fails its test instead of stalling the run. */
export function withTimeout(client: AxiosInstance): AxiosInstance {
  client.defaults.timeout = 5_000;
  return client;
}
