import { z } from 'zod';
import { idSchema } from './validation.ts';

/** A display name: trimmed, then 1 to 120 characters (the tournaments.name column is varchar(120)). */
export const nameSchema = z.string().trim().min(1).max(120);

/** `YYYY-MM-DD` that is a real calendar date (no 2025-02-30) in years 1 to 9999. */
export const dateOnlySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected a date as YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value && value >= '0001-01-01';
  }, 'Not a real calendar date');

// Strict objects: an unknown field is a 400, so a typo ("start_on") is never silently ignored.
export const createTournamentBody = z.strictObject({ name: nameSchema, startsOn: dateOnlySchema.optional() });

export const updateTournamentBody = z
  .strictObject({ name: nameSchema.optional(), startsOn: dateOnlySchema.nullable().optional() })
  .refine((body) => Object.keys(body).length > 0, 'Give at least one of: name, startsOn');

export const namedBody = z.strictObject({ name: nameSchema });

export const eventModeBody = z.strictObject({ enabled: z.boolean() });

export const voteBody = z.strictObject({ dancerId: idSchema });

export const emptyBody = z.strictObject({});
