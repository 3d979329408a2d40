import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from '../../bot/ports';
import { isStoreUnavailable } from '../storeUnavailable';

/** Direct Line's error body shape, used by every JSON endpoint. */
export function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

const codes: Record<number, string> = {
  400: 'BadArgument',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
  429: 'TooManyRequests',
  500: 'ServiceError',
  503: 'ServiceUnavailable',
};

export function codeFor(status: number): string {
  return codes[status] ?? 'Error';
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  return typeof error.status === 'number' ? error.status : undefined;
}

/**
 * The last express handler: body-parser errors become 4xx with a reason; anything else is a
 * 500 without a stack trace, logged without request bodies.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const status = statusOf(error);
    if (res.headersSent) return;
    if (status === 400) return sendError(res, 400, codeFor(400), 'the body is not valid JSON');
    if (status === 413) return sendError(res, 413, codeFor(413), 'the body is too large (64 KB at most)');
    if (status === 415) return sendError(res, 415, codeFor(415), 'unsupported content encoding or charset');
    if (status !== undefined && status >= 400 && status < 500) return sendError(res, status, codeFor(status), 'the request was refused');
    if (isStoreUnavailable(error)) {
      // Nothing was done that a retry would repeat wrongly: the client may send it again shortly.
      logger.warn('request refused: the store is not answering', { method: req.method, path: req.path });
      res.set('Retry-After', '5');
      return sendError(res, 503, codeFor(503), 'the service is not available just now; please try again in a few seconds');
    }
    logger.error('request failed', { method: req.method, path: req.path, error: error instanceof Error ? { name: error.name, message: error.message } : String(error) });
    sendError(res, 500, codeFor(500), 'something went wrong; please try again');
  };
}
