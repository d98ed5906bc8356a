import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ForeignKeyConstraintError, UniqueConstraintError } from 'sequelize';

export type ErrorCode =
  | 'validation_failed'
  | 'bad_request'
  | 'invalid_json'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unauthenticated'
  | 'invalid_credentials'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'internal_error'
  | 'service_unavailable';

/** The one error shape every response uses: `{ error: { code, message, details? } }`. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** An error a handler throws on purpose; the error handler turns it into its JSON response. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);
export const conflict = (message: string, details?: unknown) => new HttpError(409, 'conflict', message, details);

function body(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Unknown routes: mounted after every router. */
export const unknownRoute: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `No route for ${req.method} ${req.path}`));
};

/** Errors body-parser raises before any handler runs, keyed by their `type`. */
const PARSER_ERRORS: Record<string, [number, ErrorCode, string]> = {
  'entity.parse.failed': [400, 'invalid_json', 'The request body is not valid JSON'],
  'entity.too.large': [413, 'payload_too_large', 'The request body is too large'],
  'encoding.unsupported': [415, 'unsupported_media_type', 'Unsupported content encoding'],
  'charset.unsupported': [415, 'unsupported_media_type', 'Unsupported charset'],
  'request.aborted': [400, 'validation_failed', 'The request was aborted'],
  'request.size.invalid': [400, 'validation_failed', 'The request body size does not match Content-Length'],
};

/**
 * The last middleware. Known errors map to 4xx; a UniqueConstraintError anywhere
 * is a 409 because the database constraint, not a pre-check, is the source of
 * truth for uniqueness. Anything else is logged and answered 500 without details.
 */
export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  if (error instanceof HttpError) {
    res.status(error.status).json(body(error.code, error.message, error.details));
    return;
  }
  if (error instanceof UniqueConstraintError) {
    const fields = Object.keys(error.fields ?? {});
    res.status(409).json(body('conflict', 'A resource with the same unique values already exists', fields.length ? { fields } : undefined));
    return;
  }
  if (error instanceof ForeignKeyConstraintError) {
    res.status(409).json(body('conflict', 'The change conflicts with related resources'));
    return;
  }
  const parserType = (error as { type?: unknown } | null)?.type;
  if (typeof parserType === 'string' && parserType in PARSER_ERRORS) {
    const [status, code, message] = PARSER_ERRORS[parserType]!;
    res.status(status).json(body(code, message));
    return;
  }
  // Any other client error raised before a handler runs (a corrupt gzip body,
  // a malformed %-escape in a path parameter) keeps its 4xx status.
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code: ErrorCode = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'bad_request';
    res.status(status).json(body(code, status === 400 ? 'The request is malformed' : (error as Error).message));
    return;
  }
  console.error(`Unhandled error on ${req.method} ${req.originalUrl}:`, error);
  res.status(500).json(body('internal_error', 'Internal server error'));
};
