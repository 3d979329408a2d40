import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { serverEntry, startServerProcess } from '../support/serverProcess';

describe('start-up', () => {
  it.each([
    [{ PORT: 'abc' }, 'Invalid configuration: PORT must be a number'],
    [{ REDIS_URL: 'localhost:6379' }, 'Invalid configuration: REDIS_URL must be a redis:// or rediss:// URL'],
    [{ RETENTION_DAYS: '-3' }, 'Invalid configuration: RETENTION_DAYS must be between 1 and 365'],
    [
      { SAFEGUARDING_WEBHOOK_URL: 'https://alerts.example.org/hook' },
      'Invalid configuration: SAFEGUARDING_WEBHOOK_SECRET is required when SAFEGUARDING_WEBHOOK_URL is set (16+ characters; receivers check the signature with it)',
    ],
  ])('refuses %j with one line naming the variable', (env, line) => {
    const result = spawnSync(process.execPath, [serverEntry], { env: { PATH: process.env.PATH, ...env }, cwd: tmpdir(), encoding: 'utf8', timeout: 10_000 });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`${line}\n`);
  });

  it('says in its one start-up line that /api/messages is off in production without MicrosoftAppId', async () => {
    const server = await startServerProcess({ NODE_ENV: 'production' });
    try {
      const lines = server.output().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0])).toMatchObject({ msg: 'careers bot listening', storage: 'memory', apiMessages: expect.stringMatching(/^off/) });
      const response = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(response.status).toBe(404);
    } finally {
      await server.stop();
    }
  });
});
