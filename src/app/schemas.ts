import { z } from 'zod';
import { idSchema } from './validation.ts';

/**
 * Control characters (C0, DEL, C1) and lone UTF-16 surrogates. Neither can be
 * stored as sent: PostgreSQL text cannot hold NUL (Sequelize escaped it into a
 * backslash and a 0, so another name really spelled that way was a 409), and a
 * lone surrogate is turned into U+FFFD on the way in. No display name needs them.
 */
const UNSTORABLE = /[\p{Cc}\p{Cs}]/u;

/** Refuses `UNSTORABLE` characters with a 400 that says which one and where. */
export function storableText<S extends z.ZodString>(schema: S) {
  return schema.superRefine((value, ctx) => {
    const match = UNSTORABLE.exec(value);
    if (match) {
      const codePoint = match[0].codePointAt(0)!;
      const what = codePoint >= 0xd800 && codePoint <= 0xdfff ? 'Unpaired UTF-16 surrogates are' : 'Control characters are';
      ctx.addIssue({ code: 'custom', message: `${what} not allowed (U+${codePoint.toString(16).toUpperCase().padStart(4, '0')} at index ${match.index})` });
    }
  });
}

/** A display name: trimmed, then 1 to 120 characters (the tournaments.name column is varchar(120)), no control characters. */
export const nameSchema = storableText(z.string().trim().min(1).max(120));

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
