import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SERVER_NODE_OPTIONS } from '../../bench/processes';

/**
 * `npm run bench` itself, tiny: it must start its own redis-server and both servers, print
 * progress, and end with CONTRACT.md's JSON line. The figures are measured by running the
 * benchmark on its own (README "Performance"), not here: a timed assertion on a shared CI
 * machine would be a coin toss. `npm test` builds the bot (dist/) and the benchmark
 * (dist-bench/) first.
 */
const root = path.join(__dirname, '..', '..');
const entry = path.join(root, 'dist-bench', 'bench', 'bench.js');

function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [entry, ...args], { env: { PATH: process.env.PATH ?? '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run bench', () => {
  it('drives the bot and the echo floor through Direct Line and ends with the JSON summary', async () => {
    const { code, stdout, stderr } = await runBench(['--conversations', '6', '--seconds', '2', '--warmup', '0', '--rate', '10']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.trim().split('\n');
    expect(lines.some((line) => /^\[bench\] bot max: \d+ s, \d+ turns/.test(line))).toBe(true);
    expect(lines.some((line) => /^\[bench\] floor max: \d+ s, \d+ turns/.test(line))).toBe(true);
    const summary = JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
    expect(summary).toEqual(
      expect.objectContaining({
        storage: 'redis',
        conversations: 6,
        turns: expect.any(Number),
        turnsPerSecond: expect.any(Number),
        p50Ms: expect.any(Number),
        p99Ms: expect.any(Number),
        floorTurnsPerSecond: expect.any(Number),
        floorP99Ms: expect.any(Number),
        ratio: expect.any(Number),
        redisBytesPerIdleConversation: expect.any(Number),
        rssMb: expect.any(Number),
        errors: 0,
      }),
    );
    const figures = summary as Record<string, number>;
    expect(figures.turns).toBeGreaterThan(0);
    expect(figures.floorTurnsPerSecond).toBeGreaterThan(0);
    expect(figures.p99Ms).toBeGreaterThanOrEqual(figures.p50Ms);
    expect(figures.ratio).toBeCloseTo(figures.floorTurnsPerSecond / figures.turnsPerSecond, 1);
    expect(figures.redisBytesPerIdleConversation).toBeGreaterThan(0);
    // the saturated phases in turns: two rounds each, floor, bot, floor, bot
    const rounds = lines.filter((line) => /as many turns as it takes, round \d of 2$/.test(line)).map((line) => line.replace(/^\[bench\] /, ''));
    expect(rounds).toEqual([
      'floor (echo bot): as many turns as it takes, round 1 of 2',
      'careers bot: as many turns as it takes, round 1 of 2',
      'floor (echo bot): as many turns as it takes, round 2 of 2',
      'careers bot: as many turns as it takes, round 2 of 2',
    ]);
    expect(summary.rounds).toBe(2);
    // the per-process figure is of the bot's phase on end, not of its rounds
    expect(lines.some((line) => /^\[bench\] bot sustained: \d+ s, \d+ turns/.test(line))).toBe(true);
    expect(figures.sustainedTurnsPerSecond).toBeGreaterThan(0);
    expect(figures.turnsPerSecondPerProcess).toBe(figures.sustainedTurnsPerSecond);
    expect(lines.some((line) => /^\[bench\] Redis: \d+ keys of the floor's and \d+ rate-limit counters deleted before the memory reading$/.test(line))).toBe(true);
  }, 90_000);

  it('runs on a Redis Cluster of its own with --cluster, and counts the Redis requests and commands of a turn', async () => {
    const { code, stdout, stderr } = await runBench(['--cluster', '--conversations', '6', '--seconds', '2', '--warmup', '0', '--rate', '10']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toContain('its own Redis Cluster of three masters');
    const summary = JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
    expect(summary).toEqual(expect.objectContaining({ storage: 'cluster', conversations: 6, errors: 0 }));
    const figures = summary as Record<string, number>;
    expect(figures.turns).toBeGreaterThan(0);
    expect(figures.redisBytesPerIdleConversation).toBeGreaterThan(0);
    // every turn posts a message and polls for the replies, and commits in a script
    expect(figures.redisRequestsPerTurn).toBeGreaterThanOrEqual(2);
    expect(figures.redisCommandsPerTurn).toBeGreaterThan(figures.redisRequestsPerTurn);
  }, 60_000);

  it('runs two bot processes on one Redis with --instances 2 and reports the same figures, per process too', async () => {
    // The load client spreads every request round-robin over both processes, so a pupil's
    // conversation is opened on one and carried on on the other: no errors means both answered
    // and shared the conversations through the one Redis.
    const { code, stdout, stderr } = await runBench(['--instances', '2', '--conversations', '6', '--seconds', '2', '--warmup', '0', '--rate', '10']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^\[bench\] 2 instance\(s\), 6 pupils/);
    const summary = JSON.parse(lines[lines.length - 1]) as Record<string, number>;
    expect(summary).toEqual(
      expect.objectContaining({
        instances: 2,
        turnsPerSecond: expect.any(Number),
        p99Ms: expect.any(Number),
        ratio: expect.any(Number),
        redisBytesPerIdleConversation: expect.any(Number),
        rssMb: expect.any(Number),
        errors: 0,
      }),
    );
    expect(summary.turns).toBeGreaterThan(0);
    expect(summary.sustainedTurnsPerSecond).toBeGreaterThan(0);
    // the sustained rate over the two processes, to the tenth the summary gives
    expect(summary.turnsPerSecondPerProcess).toBe(Math.round((summary.sustainedTurnsPerSecond / 2) * 10) / 10);
  }, 90_000);

  it('soaks at the offered rate, sampling RSS, and reports its growth both ways', async () => {
    const { code, stdout, stderr } = await runBench(['--conversations', '4', '--seconds', '1', '--warmup', '0', '--rate', '10', '--soak', '--soak-seconds', '21']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.trim().split('\n');
    expect(lines.filter((line) => /^\[bench\] soak: RSS [\d.]+ MB at \d+ s$/.test(line)).length).toBeGreaterThanOrEqual(2);
    const summary = JSON.parse(lines[lines.length - 1]) as Record<string, number>;
    expect(summary).toEqual(
      expect.objectContaining({
        soakSeconds: 21,
        soakErrors: 0,
        soakRssWarmMb: expect.any(Number),
        soakRssEndMb: expect.any(Number),
        soakRssLowEarlyMb: expect.any(Number),
        soakRssLowLateMb: expect.any(Number),
        soakRssGrowthPercent: expect.any(Number),
        soakRssLowGrowthPercent: expect.any(Number),
      }),
    );
    expect(summary.soakTurns).toBeGreaterThan(100);
    // the lows are samples' lows: never above the samples they are taken among
    expect(summary.soakRssLowEarlyMb).toBeLessThanOrEqual(summary.soakRssWarmMb);
    expect(summary.soakRssLowLateMb).toBeLessThanOrEqual(summary.soakRssEndMb);
    expect(summary.soakRssLowGrowthPercent).toBeCloseTo(((summary.soakRssLowLateMb - summary.soakRssLowEarlyMb) / summary.soakRssLowEarlyMb) * 100, 0);
  }, 120_000);

  it('runs the servers with the Node options npm start gives the bot', () => {
    const scripts = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toContain(`node ${SERVER_NODE_OPTIONS} dist/adapters/server.js`);
  });

  it('is built apart from the bot: nothing of it in the production build', () => {
    const buildConfig = JSON.parse(readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
    expect(buildConfig.include).not.toContain('bench');
    expect(existsSync(path.join(root, 'dist', 'bench'))).toBe(false);
    expect(existsSync(entry)).toBe(true);
  });

  it('refuses more rounds than seconds, since a round needs at least a second', async () => {
    const { code, stderr } = await runBench(['--seconds', '3', '--rounds', '4']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/--rounds 4 is more than --seconds 3/);
  });

  it('refuses an unknown option with a message', async () => {
    const { code, stderr } = await runBench(['--turbo']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/unknown option --turbo/);
  });
});
