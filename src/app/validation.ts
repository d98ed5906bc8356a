import type { Request } from 'express';
import { z } from 'zod';
import { HttpError } from './errors.ts';

/** The largest PostgreSQL `integer`; a bigger id would make pg raise, so it is a 400 here. */
export const MAX_ID = 2 ** 31 - 1;

/** A positive `integer` column value. */
export const idSchema = z.number().int().min(1).max(MAX_ID);

/** Parses `req.body` with a zod schema; failures are 400 `validation_failed` listing the issues. */
export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  const result = schema.safeParse(req.body);
  if (!result.success) {
    const details = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    const message = req.body === undefined ? 'A JSON body is required (Content-Type: application/json)' : 'The request body is invalid';
    throw new HttpError(400, 'validation_failed', message, details);
  }
  return result.data;
}

/**
 * Parses a numeric path parameter. Only plain decimal digits are accepted
 * ("1e3", "0x10", " 7", "-1" are not ids) and the value must fit PostgreSQL's
 * integer, so a bad id is a 400 and never reaches the database.
 */
export function parseId(req: Request, name = 'id'): number {
  const raw = req.params[name];
  const value = typeof raw === 'string' && /^[0-9]{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < 1 || value > MAX_ID) {
    throw new HttpError(400, 'validation_failed', `Path parameter "${name}" must be an integer between 1 and ${MAX_ID}`, {
      param: name,
      value: raw,
    });
  }
  return value;
}
