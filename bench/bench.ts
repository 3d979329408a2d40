import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { percentile, Pupil, RoundRobin, type PupilCounters, type TurnSample } from './loadClient';
import { existingRedis, startNodeServer, startRedis, startRedisCluster, type NodeServer } from './processes';
import { errorMessage } from '../bot/errorMessage';
import { loadContent } from '../knowledge/loadContent';

/**
 * `npm run bench`: the careers bot against a bare echo bot (the floor) on the same Redis-backed
 * stores, both through the Direct Line endpoint. See README "Performance".
 */

interface Options {
  conversations: number;
  seconds: number;
  rate: number;
  instances: number;
  soakSeconds: number;
  warmupSeconds: number;
  rounds: number;
  cluster: boolean;
}

const USAGE = `usage: npm run bench -- [--conversations N] [--seconds S] [--rounds N] [--rate R] [--instances K] [--warmup S] [--soak [--soak-seconds S]]
  --conversations N  concurrent pupils (default 500)
  --seconds S        measured seconds of each phase (default 15)
  --rounds N         the saturated phases of the floor and the bot taken in turns, N rounds each (default 10, at most S)
  --rate R           offered turns per second for the latency phases (default 200)
  --instances K      bot processes on one Redis, requests spread round-robin (default 1)
  --warmup S         unmeasured seconds before each phase (default 3; before the saturated phases, as rounds taken in turns)
  --soak             also run the bot at the offered rate for --soak-seconds (default 600), sampling RSS
  --cluster          run on a Redis Cluster of three masters of its own, not one redis-server`;

function parseArgs(argv: string[]): Options {
  const options: Options = { conversations: 500, seconds: 15, rate: 200, instances: 1, soakSeconds: 0, warmupSeconds: 3, rounds: 0, cluster: false };
  let soak = false;
  let soakSeconds = 600;
  const whole = (flag: string, value: string | undefined, min: number): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) throw new Error(`${flag} needs a whole number of at least ${min}, got ${value ?? 'nothing'}`);
    return parsed;
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    if (flag === '--soak') soak = true;
    else if (flag === '--cluster') options.cluster = true;
    else if (flag === '--conversations') options.conversations = whole(flag, argv[++i], 1);
    else if (flag === '--seconds') options.seconds = whole(flag, argv[++i], 1);
    else if (flag === '--rate') options.rate = whole(flag, argv[++i], 1);
    else if (flag === '--instances') options.instances = whole(flag, argv[++i], 1);
    else if (flag === '--warmup') options.warmupSeconds = whole(flag, argv[++i], 0);
    else if (flag === '--rounds') options.rounds = whole(flag, argv[++i], 1);
    else if (flag === '--soak-seconds') soakSeconds = whole(flag, argv[++i], 10);
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else throw new Error(`unknown option ${flag}`);
  }
  if (soak) options.soakSeconds = soakSeconds;
  if (options.rounds === 0) options.rounds = Math.min(10, options.seconds);
  if (options.rounds > options.seconds) throw new Error(`--rounds ${options.rounds} is more than --seconds ${options.seconds}: a round needs at least a second`);
  return options;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value: number, places = 1) => Math.round(value * 10 ** places) / 10 ** places;
const mb = (bytes: number) => round(bytes / 1048576);

function say(line: string): void {
  process.stdout.write(`[bench] ${line}\n`);
}

interface PhaseResult {
  turns: number;
  turnsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** open loop only: turns due when every pupil was still waiting for a reply */
  missed: number;
  /** CPU time the servers used per turn while measured (conversation starts and polls included) */
  cpuMsPerTurn: number;
}

/**
 * What a phase measured. Throughput counts the turns that *ended* while recording, over the
 * seconds recorded: the rate the server answered at. Latency is of the turns that *began* while
 * recording (one begun in the warm-up is not measured), to their end, even just after the window
 * closed. Counting only turns that begin and end in the window would leave out about one
 * pupil's cycle worth of turns under saturation (pupils / (turns/s x seconds) of them), more of
 * the slower server's.
 */
class Recorder {
  samples: number[] = [];
  windowSamples: number[] = [];
  recording = false;
  /** turns that ended while recording */
  completed = 0;

  add(sample: TurnSample, begunWhileRecording: boolean): void {
    if (this.recording) {
      this.completed += 1;
      this.windowSamples.push(sample.ms);
    }
    if (begunWhileRecording) this.samples.push(sample.ms);
  }

  /** progress every 2 s: the seconds measured so far (over every round), turns, and the last window's rate and p99 */
  progress(label: string): void {
    const now = Date.now();
    const window = this.windowSamples.sort((a, b) => a - b);
    const windowSeconds = Math.max(0.001, (now - this.windowStarted) / 1000);
    const elapsed = (this.measuredMs + now - this.startedAt) / 1000;
    say(`${label}: ${Math.round(elapsed)} s, ${this.completed} turns, ${round(window.length / windowSeconds, 0)} turns/s now, p99 ${round(percentile(window, 99))} ms`);
    this.windowSamples = [];
    this.windowStarted = now;
  }

  private cpuAtStart = 0;
  private cpu = 0;
  private startedAt = 0;
  private windowStarted = 0;
  /** milliseconds recorded, over every round */
  private measuredMs = 0;

  constructor(private readonly servers: NodeServer[]) {}

  /** Starts (or, for a phase taken in rounds, resumes) recording. */
  start(): void {
    this.cpuAtStart = this.cpuNow();
    this.startedAt = Date.now();
    this.windowStarted = this.startedAt;
    this.windowSamples = [];
    this.recording = true;
  }

  stop(): void {
    this.recording = false;
    this.cpu += this.cpuNow() - this.cpuAtStart;
    this.measuredMs += Date.now() - this.startedAt;
  }

  private cpuNow(): number {
    return this.servers.reduce((sum, server) => sum + server.cpuMs(), 0);
  }

  /** Rates are over the time actually recorded, which runs a little past the nominal seconds. */
  result(errors: number, missed = 0): PhaseResult {
    const sorted = [...this.samples].sort((a, b) => a - b);
    return {
      cpuMsPerTurn: this.completed > 0 ? round(this.cpu / this.completed, 3) : 0,
      turns: this.completed,
      turnsPerSecond: this.measuredMs > 0 ? round(this.completed / (this.measuredMs / 1000)) : 0,
      p50Ms: round(percentile(sorted, 50), 2),
      p99Ms: round(percentile(sorted, 99), 2),
      errors,
      missed,
    };
  }
}

/** Every pupil opens a conversation first, a few at a time, so no phase is all welcomes. */
async function openAll(label: string, pupils: Pupil[]): Promise<void> {
  const started = Date.now();
  const waiting = [...pupils];
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      for (let pupil = waiting.shift(); pupil; pupil = waiting.shift()) await pupil.open();
    }),
  );
  say(`${label}: ${pupils.length} conversations opened in ${round((Date.now() - started) / 1000)} s`);
}

function makePupils(count: number, urls: string[], secret: string, counters: PupilCounters, failureTexts?: ReadonlySet<string>): Pupil[] {
  const targets = new RoundRobin(urls);
  return Array.from({ length: count }, (_, index) => new Pupil(targets, secret, index, counters, failureTexts));
}

async function timed(label: string, warmSeconds: number, seconds: number, recorder: Recorder, tick?: (elapsed: number) => void): Promise<void> {
  await sleep(warmSeconds * 1000);
  recorder.start();
  const started = Date.now();
  let lastProgress = started;
  while (Date.now() - started < seconds * 1000) {
    await sleep(Math.min(250, Math.max(1, started + seconds * 1000 - Date.now())));
    const now = Date.now();
    tick?.((now - started) / 1000);
    if (now - lastProgress >= 2000) {
      recorder.progress(label);
      lastProgress = now;
    }
  }
  // and where it ends, so a round shorter than the interval reports too
  if (Date.now() - lastProgress >= 500) recorder.progress(label);
  recorder.stop();
}

/** One server's side of the saturated phase: its servers, its pupils and what it has recorded. */
interface Side {
  name: string;
  label: string;
  pupils: Pupil[];
  counters: PupilCounters;
  recorder: Recorder;
  /** the pupils' error count when this side began, so its result counts only its own */
  errorsBefore: number;
}

/** What a side recorded, with the errors its pupils met since it began. */
function resultOf(side: Side): PhaseResult {
  return side.recorder.result(side.counters.errors - side.errorsBefore);
}

/**
 * Unmeasured seconds at the start of every round: the pupils' first messages arrive at once, and
 * the server has sat idle while the other side ran.
 */
const SETTLE_SECONDS = 0.5;

/**
 * One round of a saturated phase: every pupil sends its next message as soon as it has read the
 * last replies, the most the server takes. Measured after the settle, or (a warm-up round) not
 * at all. The round ends when the turns in flight have ended.
 */
async function closedRound(side: Side, seconds: number, measured: boolean, settleSeconds = SETTLE_SECONDS): Promise<void> {
  let running = true;
  const loops = side.pupils.map(async (pupil) => {
    while (running) {
      try {
        const begun = side.recorder.recording;
        side.recorder.add(await pupil.turn(), begun);
      } catch (error) {
        side.counters.errors += 1;
        side.counters.lastError = (error as Error).message;
        await sleep(100);
      }
    }
  });
  if (measured) await timed(side.label, settleSeconds, seconds, side.recorder);
  else await sleep((settleSeconds + seconds) * 1000);
  running = false;
  await Promise.all(loops);
}

/**
 * The floor's and the bot's saturated phases, taken in turns: `rounds` rounds each of
 * seconds / rounds, one server at a time, floor, bot, floor, bot; the warm-up is rounds of the
 * same length, not measured. On a machine whose speed drifts by a fifth within minutes, two
 * phases run one after the other measured the drift as much as the servers; taken in turns, both
 * see the same machine. The rounds are short so that neither side's pupils sit idle for long:
 * the load client drops a connection idle for 4 s (under the server's 5-second keep-alive), and
 * 500 pupils reconnecting at once take seconds to be let in.
 */
async function alternatingClosedLoops(sides: [Side, Side], seconds: number, rounds: number, warmupSeconds: number): Promise<[PhaseResult, PhaseResult]> {
  const roundSeconds = seconds / rounds;
  const warmRounds = Math.ceil(warmupSeconds / roundSeconds);
  if (warmRounds > 0) say(`floor and bot taking turns: ${warmRounds} warm-up round(s) each, not measured`);
  // negative: a warm-up round
  for (let turn = -warmRounds; turn < rounds; turn += 1) {
    if (turn === 0) say(`floor and bot taking turns: ${rounds} rounds of ${round(roundSeconds, 2)} s each, measured after ${SETTLE_SECONDS} s`);
    for (const side of sides) {
      if (turn >= 0) say(`${side.name}: as many turns as it takes, round ${turn + 1} of ${rounds}`);
      await closedRound(side, roundSeconds, turn >= 0);
    }
  }
  return [resultOf(sides[0]), resultOf(sides[1])];
}

/** Turns offered at a steady rate, spread over the pupils that are not waiting for a reply. */
async function openLoop(
  label: string,
  servers: NodeServer[],
  pupils: Pupil[],
  counters: PupilCounters,
  rate: number,
  seconds: number,
  warmSeconds: number,
  tick?: (elapsed: number) => void,
): Promise<PhaseResult> {
  const recorder = new Recorder(servers);
  const idle = [...pupils];
  const inFlight = new Set<Promise<void>>();
  let issued = 0;
  let missed = 0;
  const started = Date.now();
  const errorsBefore = counters.errors;
  const timer = setInterval(() => {
    const due = Math.floor(((Date.now() - started) / 1000) * rate) - issued;
    for (let i = 0; i < due; i += 1) {
      issued += 1;
      const pupil = idle.shift();
      if (!pupil) {
        if (recorder.recording) missed += 1;
        continue;
      }
      const begun = recorder.recording;
      const work = pupil
        .turn()
        .then((sample) => recorder.add(sample, begun))
        .catch((error: Error) => {
          counters.errors += 1;
          counters.lastError = error.message;
        })
        .finally(() => {
          idle.push(pupil);
          inFlight.delete(work);
        });
      inFlight.add(work);
    }
  }, 2);
  await timed(label, warmSeconds, seconds, recorder, tick);
  clearInterval(timer);
  await Promise.all(inFlight);
  return recorder.result(counters.errors - errorsBefore, missed);
}

/** A built entry, or an error saying how to build it. */
function builtEntry(entry: string, build: string): string {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run ${build} first`);
  return entry;
}

/** The bot as `npm run build` makes it (dist/), and the echo floor as this benchmark's own build makes it (dist-bench/). */
const BOT_ENTRY = path.join(__dirname, '..', '..', 'dist', 'adapters', 'server.js');
const FLOOR_ENTRY = path.join(__dirname, 'echoFloor.js');

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const runId = randomBytes(4).toString('hex');
  const secret = randomBytes(24).toString('hex');
  if (options.cluster && process.env.REDIS_URL) throw new Error('--cluster starts a cluster of its own: unset REDIS_URL');
  const redis = options.cluster ? await startRedisCluster() : process.env.REDIS_URL ? await existingRedis(process.env.REDIS_URL) : await startRedis();
  const storageNote = options.cluster
    ? 'its own Redis Cluster of three masters on free ports'
    : process.env.REDIS_URL
      ? 'REDIS_URL (keys under a bench- prefix, left to expire)'
      : 'its own redis-server on a free port';
  say(`${options.instances} instance(s), ${options.conversations} pupils, ${options.seconds} s a phase, ${options.rate} turns/s offered; Redis: ${storageNote}`);

  const started: NodeServer[] = [];
  try {
    // Every pupil comes from this one address and opens conversation after conversation: the
    // address and new-conversation limits are off; the per-conversation limits stay as configured.
    const common = { ...redis.env, DIRECTLINE_SECRET: secret, RATE_LIMIT_ADDRESS_PER_MINUTE: '0', RATE_LIMIT_CONVERSATIONS_PER_MINUTE: '0' };
    const bots: NodeServer[] = [];
    const floors: NodeServer[] = [];
    for (let i = 0; i < options.instances; i += 1) {
      bots.push(await startNodeServer(builtEntry(BOT_ENTRY, 'npm run build'), { ...common, REDIS_KEY_PREFIX: `bench-${runId}:` }));
      started.push(bots[i]);
      floors.push(await startNodeServer(builtEntry(FLOOR_ENTRY, 'npm run build:bench'), { ...common, REDIS_KEY_PREFIX: `bench-floor-${runId}:` }));
      started.push(floors[i]);
    }
    const botUrls = bots.map((bot) => bot.url);
    const floorUrls = floors.map((floor) => floor.url);

    const floorCounters: PupilCounters = { conversations: 0, errors: 0 };
    const floorPupils = makePupils(options.conversations, floorUrls, secret, floorCounters);
    const botCounters: PupilCounters = { conversations: 0, errors: 0 };
    // The bot's turn-error message (a turn that threw) fails the turn, so a fast failure is not counted as a turn.
    const botPupils = makePupils(options.conversations, botUrls, secret, botCounters, new Set([loadContent().answer('error.turn').text]));
    // Both servers share the one Redis. What the floor keeps there is deleted before the second
    // reading, so the difference is the bot's.
    const floorPrefix = `bench-floor-${runId}:`;
    const memoryBefore = await redis.usedMemory();
    await openAll('floor (echo bot)', floorPupils);
    await openAll('careers bot', botPupils);
    const side = (name: string, label: string, servers: NodeServer[], pupils: Pupil[], counters: PupilCounters): Side => ({
      name,
      label,
      pupils,
      counters,
      recorder: new Recorder(servers),
      errorsBefore: counters.errors,
    });
    const [floorMax, botMax] = await alternatingClosedLoops(
      [side('floor (echo bot)', 'floor max', floors, floorPupils, floorCounters), side('careers bot', 'bot max', bots, botPupils, botCounters)],
      options.seconds,
      options.rounds,
      options.warmupSeconds,
    );
    // The rounds are short; the per-process target is of a rate sustained, so the bot also runs
    // the whole phase's seconds on end, alone.
    say(`careers bot: as many turns as it takes, ${options.seconds} s on end`);
    const sustainedSide = side('careers bot', 'bot sustained', bots, botPupils, botCounters);
    await closedRound(sustainedSide, options.seconds, true, 1);
    const botSustained = resultOf(sustainedSide);
    say(`floor (echo bot): ${options.rate} turns/s offered`);
    const floorRated = await openLoop('floor rated', floors, floorPupils, floorCounters, options.rate, options.seconds, options.warmupSeconds);
    say(`careers bot: ${options.rate} turns/s offered`);
    const botRated = await openLoop('bot rated', bots, botPupils, botCounters, options.rate, options.seconds, options.warmupSeconds);
    // Redis's own count of the commands the bot's turns make (MONITOR, which slows Redis, so in a
    // short phase of its own): requests the bot sent (each a round trip, though several may be in
    // flight at once) and commands its scripts ran inside Redis.
    const countRate = Math.min(options.rate, 100);
    say(`careers bot: ${countRate} turns/s offered for 4 s, Redis commands counted`);
    const counted = await redis.countCommands(() => openLoop('bot counted', bots, botPupils, botCounters, countRate, 4, 0));
    await sleep(500);
    const floorKeys = await redis.deleteKeys(floorPrefix);
    // Rate-limit counters are not kept with a conversation: each lapses when its window (at most a
    // minute) ends, so an idle conversation has none. Deleted rather than waited out.
    const counterKeys = await redis.deleteKeys(`bench-${runId}:rl:`);
    await sleep(500);
    const memoryAfter = await redis.usedMemory();
    say(`Redis: ${floorKeys} keys of the floor's and ${counterKeys} rate-limit counters deleted before the memory reading`);
    const conversationsMeasured = botCounters.conversations;
    const rss = bots.map((bot) => bot.rss());

    let soak: Record<string, unknown> = {};
    if (options.soakSeconds > 0) {
      const samples: { at: number; rss: number }[] = [];
      let lastSample = -Infinity;
      say(`soak: ${options.rate} turns/s for ${options.soakSeconds} s, RSS sampled every 10 s`);
      const soakResult = await openLoop('soak', bots, botPupils, botCounters, options.rate, options.soakSeconds, 0, (elapsed) => {
        if (elapsed - lastSample < 10) return;
        lastSample = elapsed;
        samples.push({ at: elapsed, rss: Math.max(...bots.map((bot) => bot.rss())) });
        say(`soak: RSS ${mb(samples[samples.length - 1].rss)} MB at ${Math.round(elapsed)} s`);
      });
      // The first minute (or tenth) is warm-up: caches, JIT and pools fill. Growth is measured after it.
      const warmAt = Math.min(60, options.soakSeconds / 10);
      const warm = samples.find((sample) => sample.at >= warmAt) ?? samples[0];
      const end = samples[samples.length - 1];
      // RSS saws up and down as V8 grows its heap and collects, so two single samples can differ
      // by a tenth or more with nothing leaking. The lows of the saw (just after collections) in
      // the first and last thirds after the warm-up show growth apart from where a sample fell.
      // Reported beside the target's figure (end against warm), not instead of it.
      const third = (options.soakSeconds - warmAt) / 3;
      const lowest = (from: number, to: number, fallback: { rss: number }) => Math.min(...samples.filter((sample) => sample.at >= from && sample.at < to).map((sample) => sample.rss), fallback.rss);
      const lowEarly = lowest(warmAt, warmAt + third, warm);
      const lowLate = lowest(options.soakSeconds - third, Infinity, end);
      soak = {
        soakSeconds: options.soakSeconds,
        soakTurns: soakResult.turns,
        soakP99Ms: soakResult.p99Ms,
        soakErrors: soakResult.errors,
        soakRssWarmMb: mb(warm.rss),
        soakRssEndMb: mb(end.rss),
        soakRssMaxMb: mb(Math.max(...samples.map((sample) => sample.rss))),
        soakRssGrowthPercent: round(((end.rss - warm.rss) / warm.rss) * 100),
        soakRssLowEarlyMb: mb(lowEarly),
        soakRssLowLateMb: mb(lowLate),
        soakRssLowGrowthPercent: round(((lowLate - lowEarly) / lowEarly) * 100),
      };
    }

    // Over the conversations of the measured phases only (the soak's come after the reading).
    const bytesPerConversation = conversationsMeasured > 0 ? Math.round((memoryAfter - memoryBefore) / conversationsMeasured) : 0;
    const ratio = round(floorMax.turnsPerSecond / botMax.turnsPerSecond, 2);
    const perProcess = round(botSustained.turnsPerSecond / options.instances);
    const targets: Record<string, boolean> = {
      'ratio <= 1.6': ratio <= 1.6,
      [`p99 <= 50 ms at ${options.rate} turns/s`]: botRated.p99Ms <= 50 && botRated.missed === 0,
      'turns/s per process >= 700 (sustained)': perProcess >= 700,
      'Redis per idle conversation <= 4 KB': bytesPerConversation <= 4096,
      ...(options.soakSeconds > 0 ? { 'soak RSS growth <= 10%': Number(soak.soakRssGrowthPercent) <= 10 } : {}),
    };
    for (const [target, met] of Object.entries(targets)) say(`${met ? 'met    ' : 'MISSED '} ${target}`);
    const summary = {
      storage: options.cluster ? 'cluster' : 'redis',
      instances: options.instances,
      conversations: options.conversations,
      turns: botMax.turns,
      turnsPerSecond: botMax.turnsPerSecond,
      sustainedTurnsPerSecond: botSustained.turnsPerSecond,
      turnsPerSecondPerProcess: perProcess,
      sustainedCpuMsPerTurn: botSustained.cpuMsPerTurn,
      p50Ms: botRated.p50Ms,
      p99Ms: botRated.p99Ms,
      offeredTurnsPerSecond: options.rate,
      missedTurns: botRated.missed,
      saturatedP50Ms: botMax.p50Ms,
      saturatedP99Ms: botMax.p99Ms,
      floorTurnsPerSecond: floorMax.turnsPerSecond,
      floorP50Ms: floorRated.p50Ms,
      floorP99Ms: floorRated.p99Ms,
      ratio,
      cpuMsPerTurn: botMax.cpuMsPerTurn,
      floorCpuMsPerTurn: floorMax.cpuMsPerTurn,
      cpuRatio: floorMax.cpuMsPerTurn > 0 ? round(botMax.cpuMsPerTurn / floorMax.cpuMsPerTurn, 2) : 0,
      redisBytesPerIdleConversation: bytesPerConversation,
      redisRequestsPerTurn: counted.result.turns > 0 ? round(counted.sent / counted.result.turns, 2) : 0,
      redisCommandsPerTurn: counted.result.turns > 0 ? round((counted.sent + counted.inScripts) / counted.result.turns, 2) : 0,
      conversationsStarted: conversationsMeasured,
      rssMb: mb(Math.max(...rss)),
      errors: botMax.errors + botSustained.errors + botRated.errors + floorMax.errors + floorRated.errors,
      ...(botCounters.lastError ? { lastError: botCounters.lastError } : {}),
      ...soak,
      seconds: options.seconds,
      rounds: options.rounds,
      cpus: cpus().length,
      node: process.version,
      date: new Date().toISOString(),
      targetsMet: Object.values(targets).every(Boolean),
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } finally {
    await Promise.all(started.map((server) => server.stop()));
    await redis.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${errorMessage(error)}\n`);
    process.exit(1);
  },
);
