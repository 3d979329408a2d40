import type { LogFields, Logger } from '../../bot/ports';

const levels = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof levels;

/** Field names whose values are never written, whatever the level. */
const secretField = /pass(word)?|secret|token|authorization|cookie|key/i;

function clean(fields: LogFields | undefined): LogFields {
  if (!fields) return {};
  const out: LogFields = {};
  for (const [name, value] of Object.entries(fields)) {
    if (secretField.test(name)) out[name] = '<redacted>';
    else if (value instanceof Error) out[name] = { name: value.name, message: value.message };
    else out[name] = value;
  }
  return out;
}

/** JSON lines to a stream (stdout by default). */
export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  const threshold = levels[level];
  const log = (at: LogLevel, message: string, fields?: LogFields): void => {
    if (levels[at] < threshold) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level: at, msg: message, ...clean(fields) })}\n`);
  };
  return {
    debug: (message, fields) => log('debug', message, fields),
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
