import pino, { type DestinationStream } from 'pino';
import type { LogFields, Logger } from '../../bot/ports';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Field names whose values are never written, whatever the level: at the top of a line's fields or one level down. */
const SECRET_FIELDS = ['password', 'secret', 'token', 'csrfToken', 'authorization', 'cookie', 'key'];
const REDACTED = [...SECRET_FIELDS, ...SECRET_FIELDS.map((name) => `*.${name}`)];

/** An error as its name and message: a stack would print this machine's paths. */
const errorField = (value: unknown): unknown => (value instanceof Error ? { name: value.name, message: value.message } : value);

/**
 * JSON lines by pino, one object a line: `time` (ISO-8601), `level` (its name), `msg`, pino's
 * `pid` and `hostname`, then the fields. Written synchronously to stdout, or to `write` (the
 * terminal chat sends them to stderr), so the last lines before an exit are never lost.
 */
export function createLogger(level: LogLevel, write?: (line: string) => void): Logger {
  const destination: DestinationStream = write ? { write } : pino.destination({ dest: 1, sync: true });
  const log = pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED, censor: '<redacted>' },
      serializers: { error: errorField, err: errorField },
    },
    destination,
  );
  return {
    debug: (message: string, fields?: LogFields) => log.debug(fields ?? {}, message),
    info: (message: string, fields?: LogFields) => log.info(fields ?? {}, message),
    warn: (message: string, fields?: LogFields) => log.warn(fields ?? {}, message),
    error: (message: string, fields?: LogFields) => log.error(fields ?? {}, message),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
