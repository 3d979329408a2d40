import type { RequestHandler } from 'express';
import helmet, { contentSecurityPolicy, strictTransportSecurity, xFrameOptions } from 'helmet';

/**
 * Security headers, by helmet. Every response gets helmet's defaults (nosniff, no referrer,
 * framing by this origin only, no X-Powered-By, and the rest), except three set per response
 * below: the Content-Security-Policy (each page has its own), Strict-Transport-Security (only over
 * HTTPS) and Cross-Origin-Resource-Policy, left off because a school may embed the chat on its own
 * site, loading Web Chat's bundle and calling the Direct Line API from there.
 */
export const baseHeaders: RequestHandler = helmet({ contentSecurityPolicy: false, strictTransportSecurity: false, crossOriginResourcePolicy: false });

const hsts = strictTransportSecurity({ maxAge: 31_536_000, includeSubDomains: false });

/** Over HTTPS (directly, or through a proxy on this machine that says so), browsers keep to it. */
export const httpsOnly: RequestHandler = (req, res, next) => (req.secure ? hsts(req, res, next) : next());

/** The pupil's chat page: Web Chat injects its own styles at run time, so inline styles are allowed; scripts are not. */
export const chatPagePolicy: RequestHandler = contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'", 'ws:', 'wss:'],
    frameAncestors: ["'self'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
  },
});

const consolePolicy = contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
  },
});

/** The adviser console's pages: no inline script or style at all, and never framed. */
export const consolePagePolicy: RequestHandler[] = [consolePolicy, xFrameOptions({ action: 'deny' })];

/** A drawn image (the insights charts): nothing in it may load or run anything. */
export const imagePolicy: RequestHandler = contentSecurityPolicy({ useDefaults: false, directives: { defaultSrc: ["'none'"] } });
