import express, { type RequestHandler } from 'express';
import { codeFor, sendError } from './errors';

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * A JSON body parser that refuses any other content type with 415. express.json alone skips a
 * body it does not recognise and leaves req.body undefined, so a form post would reach the route
 * as if nothing had been sent. A request without a body passes (routes where a body is optional).
 */
export function jsonBody(limit: string): RequestHandler {
  const parse = express.json({ limit, type: JSON_TYPES });
  return (req, res, next) => {
    // Clients (Web Chat, fetch) send an empty POST with Content-Length: 0 and no type: no body.
    const empty = req.get('transfer-encoding') === undefined && Number(req.get('content-length') ?? 0) === 0;
    if (!empty && !req.is(JSON_TYPES)) return sendError(res, 415, codeFor(415), 'send the body as application/json');
    parse(req, res, next);
  };
}
