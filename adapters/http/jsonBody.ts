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
    // req.is: null when there is no body, false when there is one of another type
    if (req.is(JSON_TYPES) === false) return sendError(res, 415, codeFor(415), 'send the body as application/json');
    parse(req, res, next);
  };
}
