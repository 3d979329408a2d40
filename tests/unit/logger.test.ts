import { createLogger, type LogLevel } from '../../adapters/logging/logger';

/** A logger writing into an array, and its lines parsed. */
function capture(level: LogLevel) {
  const lines: string[] = [];
  const logger = createLogger(level, (line) => lines.push(line));
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, records };
}

describe('the JSON logger', () => {
  it('writes one JSON object a line with an ISO time, the level by name and the message, then the fields', () => {
    const { logger, lines, records } = capture('info');
    logger.info('careers bot listening', { storage: 'redis', port: 3978 });
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('\n')).toBe(true);
    const [record] = records();
    expect(record).toEqual(expect.objectContaining({ level: 'info', msg: 'careers bot listening', storage: 'redis', port: 3978 }));
    expect(new Date(String(record.time)).toISOString()).toBe(record.time);
  });

  it('leaves out what is below its level', () => {
    const { logger, records } = capture('warn');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(records().map((record) => [record.level, record.msg])).toEqual([
      ['warn', 'w'],
      ['error', 'e'],
    ]);
  });

  it('never writes a field named like a secret, at the top or one level down, at any level', () => {
    const { logger, lines, records } = capture('debug');
    logger.debug('login', { username: 'sam', password: 'hunter2-hunter2', token: 'eyJ.abc.def', cookie: 'adviser_session=s3cr3t' });
    logger.error('request failed', { request: { authorization: 'Bearer xyz-123', csrfToken: 'csrf-456', path: '/api' }, key: 'k-789', secret: 's-000' });
    const text = lines.join('');
    for (const secret of ['hunter2', 'eyJ.abc', 's3cr3t', 'xyz-123', 'csrf-456', 'k-789', 's-000']) expect(text).not.toContain(secret);
    const [login, failed] = records();
    expect(login).toEqual(expect.objectContaining({ username: 'sam', password: '<redacted>', token: '<redacted>', cookie: '<redacted>' }));
    expect(failed).toEqual(expect.objectContaining({ request: { authorization: '<redacted>', csrfToken: '<redacted>', path: '/api' }, key: '<redacted>', secret: '<redacted>' }));
  });

  it('writes an error as its name and message, without the stack', () => {
    const { logger, lines, records } = capture('info');
    logger.warn('transcript write failed', { error: new TypeError('Connection is closed.') });
    expect(records()[0].error).toEqual({ name: 'TypeError', message: 'Connection is closed.' });
    expect(lines[0]).not.toMatch(/\bat |\.ts:\d+|\.js:\d+/);
  });
});
