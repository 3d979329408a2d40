import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { AdviserAccounts } from '../../adapters/adviser/accounts';
import type { Clock } from '../../bot/ports';
import { AdviserClient } from '../support/adviserClient';
import { content } from '../support/contentText';
import { DirectLineTestClient } from '../support/directLineClient';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';
import { startRedisServer, type RedisServer } from '../support/redisServer';

const SCHOOLS_FILE = path.resolve(__dirname, '..', 'fixtures', 'schools', 'two-schools.json');
const NORTH = 'north-high';
const SOUTH = 'south-academy';

interface Figure {
  id: string;
  value: number | '<5' | null;
  benchmark: string;
}
interface Insights {
  school: { id: string };
  weeks: { week: string; weekStarting: string; figures: Figure[] }[];
}

/** The bot's clock, set by the script. (England is on GMT in late November, so UTC times are London times.) */
class ScriptClock implements Clock {
  private current = new Date('2026-11-24T10:00:00Z');
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
}

/**
 * A scripted week of conversations at North High, driven through Direct Line and the adviser
 * API on a controlled clock, whose insights are worked out by hand below.
 */
describe('insights from a scripted week (real Redis)', () => {
  const clock = new ScriptClock();
  let redis: RedisServer;
  let server: InProcessServer;
  let nina: AdviserClient;
  let sol: AdviserClient;
  let north: Insights;
  let eveningReplies = '';

  const pupil = async (school: string, at: string) => {
    clock.set(at);
    const client = await DirectLineTestClient.start(server.url, school);
    await client.poll();
    return client;
  };
  const say = async (client: DirectLineTestClient, at: string, ...messages: string[]) => {
    clock.set(at);
    for (const message of messages) expect((await client.send(message)).status).toBe(200);
  };
  const claim = async (client: DirectLineTestClient, at: string) => {
    clock.set(at);
    expect((await nina.post(`/conversations/${client.conversationId}/claim`)).status).toBe(200);
  };
  const close = async (client: DirectLineTestClient, at: string, outcome: string) => {
    clock.set(at);
    expect((await nina.post(`/conversations/${client.conversationId}/close`, { outcome })).status).toBe(200);
  };
  const value = (insights: Insights, week: string, id: string) => insights.weeks.find((entry) => entry.week === week)?.figures.find((figure) => figure.id === id)?.value;

  beforeAll(async () => {
    redis = await startRedisServer();
    server = await startInProcess({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: `insights-${randomBytes(3).toString('hex')}:`, SCHOOLS_FILE }, { clock });
    const accounts = new AdviserAccounts(server.runtime.stores.keyValue);
    await accounts.upsert('nina', 'a-long-test-password-1', [NORTH]);
    await accounts.upsert('sol', 'a-long-test-password-1', [SOUTH]);
    nina = new AdviserClient(server.url);
    sol = new AdviserClient(server.url);
    expect((await nina.login('nina')).status).toBe(200);
    expect((await sol.login('sol')).status).toBe(200);

    // --- Tuesday 24 November 2026 (term time), 10:00: seven North pupils start, in adviser hours.
    const day = Array.from({ length: 7 }, () => '2026-11-24T10:00:00Z');
    const [p1, p2, p3, p4, p5, p6, p7] = await Promise.all(day.map((at) => pupil(NORTH, at)));
    for (const p of [p1, p2, p3, p4, p5, p6, p7]) await say(p, '2026-11-24T10:00:00Z', 'Apprenticeships');
    await say(p1, '2026-11-24T10:00:00Z', 'Apprenticeships', 'University'); // apprenticeships again counts once
    await say(p2, '2026-11-24T10:00:00Z', 'University');
    // Job profiles, each job once a conversation, by job family: construction 5 (P3 two jobs), health 1.
    await say(p3, '2026-11-24T10:00:00Z', 'how do I become an electrician', 'and the pay?', 'how do i become a plumber', 'sparky');
    await say(p4, '2026-11-24T10:00:00Z', 'how do I become an electrician');
    await say(p5, '2026-11-24T10:00:00Z', 'wanna be a sparky');
    await say(p6, '2026-11-24T10:00:00Z', 'how much do plumbers earn');
    await say(p7, '2026-11-24T10:00:00Z', 'I want to be a nurse');
    // P1..P6 ask for an adviser and say yes, a minute apart; P7 says something that is a crisis.
    await say(p1, '2026-11-24T10:00:00Z', 'I need an adviser', 'yes');
    await say(p2, '2026-11-24T10:01:00Z', 'I need an adviser', 'yes');
    await say(p3, '2026-11-24T10:02:00Z', 'I need an adviser', 'yes');
    await say(p4, '2026-11-24T10:03:00Z', 'I need an adviser', 'yes');
    await say(p5, '2026-11-24T10:04:00Z', 'I need an adviser', 'yes');
    await say(p6, '2026-11-24T10:05:00Z', 'I need an adviser', 'yes');
    await say(p7, '2026-11-24T10:06:00Z', 'i want to kill myself');
    // The adviser picks them up.
    await claim(p7, '2026-11-24T10:08:00Z'); // waited 2 min
    await claim(p1, '2026-11-24T10:10:00Z'); // 10 min
    await claim(p2, '2026-11-24T10:11:00Z'); // 10 min
    await claim(p3, '2026-11-24T10:20:00Z'); // 18 min
    await claim(p4, '2026-11-24T10:30:00Z'); // 27 min
    await claim(p5, '2026-11-24T11:04:00Z'); // 60 min
    await claim(p6, '2026-11-24T12:05:00Z'); // 120 min
    for (const p of [p1, p2, p3, p4, p5]) await close(p, '2026-11-24T12:30:00Z', 'resolved');
    await close(p6, '2026-11-24T12:31:00Z', 'referred-on');

    // --- The same evening, 19:00: five more North pupils, when no adviser is working.
    const evening = await Promise.all(Array.from({ length: 5 }, () => pupil(NORTH, '2026-11-24T19:00:00Z')));
    const [p8, p9] = evening;
    await say(p8, '2026-11-24T19:00:00Z', 'I live with foster carers', 'no thanks'); // offered, declined
    await say(p9, '2026-11-24T19:05:00Z', 'I need an adviser', 'yes', 'cancel'); // queued, then cancelled
    eveningReplies = (await p9.poll()).map((activity) => activity.text ?? '').join('\n');

    // --- One South pupil the same morning, who asks for an adviser: South's figures, not North's.
    const south = await pupil(SOUTH, '2026-11-24T10:00:00Z');
    await say(south, '2026-11-24T10:00:00Z', 'I need an adviser', 'yes');

    // Read on Sunday 29 November at noon: the weeks shown are 2026-W47 and 2026-W48.
    clock.set('2026-11-29T12:00:00Z');
    const deadline = Date.now() + 3000;
    for (;;) {
      north = (await (await nina.get(`/insights?school=${NORTH}&weeks=2`)).json()) as Insights;
      // Recording is fire-and-forget: wait until the last counted event (the cancel) is in.
      if (value(north, '2026-W48', 'outcome:cancelled-by-pupil') === '<5' || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await redis?.destroy();
  });

  it('shows the weeks asked for, oldest first, in ISO weeks of England', () => {
    expect(north.school.id).toBe(NORTH);
    expect(north.weeks.map((week) => [week.week, week.weekStarting])).toEqual([
      ['2026-W47', '2026-11-16'],
      ['2026-W48', '2026-11-23'],
    ]);
    expect(north.weeks[0].figures.every((figure) => figure.value === 0 || figure.value === null)).toBe(true);
  });

  it('counts conversations and the shares out of term and out of hours', () => {
    // 7 pupils at 10:00 + 5 at 19:00 = 12 conversations (the South pupil is not North's).
    expect(value(north, '2026-W48', 'conversations')).toBe(12);
    // All on a term-time Tuesday: 0 of 12 out of term.
    expect(value(north, '2026-W48', 'conversations-out-of-term')).toBe(0);
    // 5 of 12 started at 19:00, after North's 9-to-4 hours: 5 / 12 = 41.7% -> 42 (and the rest, 7, is not small).
    expect(value(north, '2026-W48', 'conversations-out-of-hours')).toBe(42);
  });

  it('counts each topic once per conversation, with small counts as "<5"', () => {
    // Apprenticeships: P1..P7 = 7 (P1 asking twice counts once). University: P1, P2 = 2 -> "<5". Nobody asked the rest.
    expect(value(north, '2026-W48', 'topic:apprenticeships')).toBe(7);
    expect(value(north, '2026-W48', 'topic:higher-education')).toBe('<5');
    expect(value(north, '2026-W48', 'topic:gcse')).toBe(0);
    expect(value(north, '2026-W48', 'topic:jobs')).toBe(0);
  });

  it('counts the careers topic once per conversation, and each job profile shown once per conversation by its job family', () => {
    expect(value(north, '2026-W48', 'topic:careers')).toBe(5);
    expect(value(north, '2026-W48', 'career:construction')).toBe(5);
    expect(value(north, '2026-W48', 'career:health')).toBe('<5');
    expect(value(north, '2026-W48', 'career:digital')).toBe(0);
    expect(value(north, '2026-W47', 'career:construction')).toBe(0);
  });

  it('counts hand-offs by flag and priority as they join the queue', () => {
    // asked-for-adviser: P1..P6 and P9 = 7, all standard. crisis: P7 = 1 -> "<5", urgent.
    // P8's looked-after flag was offered and declined, so it never joined the queue: 0.
    expect(value(north, '2026-W48', 'flag:asked-for-adviser')).toBe(7);
    expect(value(north, '2026-W48', 'flag:crisis')).toBe('<5');
    expect(value(north, '2026-W48', 'flag:looked-after')).toBe(0);
    expect(value(north, '2026-W48', 'priority:standard')).toBe(7);
    expect(value(north, '2026-W48', 'priority:urgent')).toBe('<5');
    expect(value(north, '2026-W48', 'priority:high')).toBe(0);
  });

  it('gives the time from queue to pick-up: median and 90th percentile', () => {
    // Waits in minutes: P7 2, P1 10, P2 10, P3 18, P4 27, P5 60, P6 120 -> 7 pick-ups.
    // Sorted: 2 10 10 18 27 60 120. Median (nearest rank): ceil(0.5 x 7) = 4th = 18 min.
    // 90th percentile: ceil(0.9 x 7) = ceil(6.3) = 7th = 120 min.
    expect(value(north, '2026-W48', 'pickups')).toBe(7);
    expect(value(north, '2026-W48', 'pickup-median')).toBe(18);
    expect(value(north, '2026-W48', 'pickup-p90')).toBe(120);
  });

  it('counts outcomes', () => {
    // Resolved: P1..P5 = 5. Referred on: P6 = 1 -> "<5". P7 is still with the adviser.
    // Cancelled by the pupil: P9 = 1 -> "<5". Declined the offer: P8 = 1 -> "<5".
    expect(value(north, '2026-W48', 'outcome:resolved')).toBe(5);
    expect(value(north, '2026-W48', 'outcome:referred-on')).toBe('<5');
    expect(value(north, '2026-W48', 'outcome:no-reply')).toBe(0);
    expect(value(north, '2026-W48', 'outcome:cancelled-by-pupil')).toBe('<5');
    expect(value(north, '2026-W48', 'outcome:declined-offer')).toBe('<5');
  });

  it('labels every figure with the Gatsby Benchmark it is evidence for', () => {
    const byId = Object.fromEntries(north.weeks[1].figures.map((figure) => [figure.id, figure.benchmark]));
    expect(byId['pickup-median']).toBe('Gatsby 8: personal guidance');
    expect(byId['flag:send']).toBe('Gatsby 3: addressing the needs of each pupil');
    expect(byId['topic:apprenticeships']).toBe('Gatsby 2: learning from career and labour market information');
    expect(north.weeks[1].figures.every((figure) => /^Gatsby \d: /.test(figure.benchmark))).toBe(true);
  });

  it('keeps South\'s figures apart: one conversation and one hand-off, both "<5", seen by South\'s adviser only', async () => {
    const south = (await (await sol.get(`/insights?school=${SOUTH}&weeks=2`)).json()) as Insights;
    expect(value(south, '2026-W48', 'conversations')).toBe('<5');
    expect(value(south, '2026-W48', 'priority:standard')).toBe('<5');
    expect(value(south, '2026-W48', 'topic:apprenticeships')).toBe(0);
    expect((await nina.get(`/insights?school=${SOUTH}&weeks=2`)).status).toBe(403);
    expect((await sol.get(`/insights.csv?school=${NORTH}`)).status).toBe(403);
  });

  it('exports the same figures as CSV, with "<5" and never a word a pupil said', async () => {
    const response = await nina.get(`/insights.csv?school=${NORTH}&weeks=2`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="insights-north-high-2026-W47-to-2026-W48.csv"');
    const csv = await response.text();
    expect(csv).toContain('north-high,North High School,2026-W48,2026-11-23,pickup-median,Median wait to pick-up,18,minutes,Gatsby 8: personal guidance');
    expect(csv).toContain('north-high,North High School,2026-W48,2026-11-23,outcome:referred-on,Closed by an adviser: referred on,<5,outcomes,Gatsby 8: personal guidance');
    expect(csv).not.toMatch(/foster|kill|adviser,yes|south-academy/i);
  });

  it('draws the charts as SVG on the server', async () => {
    const response = await nina.get(`/insights/chart.svg?school=${NORTH}&weeks=2&chart=outcomes`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    // opened on its own, the image may load and run nothing
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const svg = await response.text();
    expect(svg).toContain('Outcomes: North High School');
    expect(svg).toContain('&#60;5');
    expect(svg).not.toMatch(/<script/i);
    const careers = await (await nina.get(`/insights/chart.svg?school=${NORTH}&weeks=2&chart=careers`)).text();
    expect(careers).toContain('Job profiles looked at, by job family');
    expect(careers).toContain('Construction and trades');
    expect((await nina.get(`/insights/chart.svg?school=${NORTH}&chart=nonsense`)).status).toBe(400);
  });

  it("told the evening pupil when North's advisers are back (the calendar the figures used)", () => {
    expect(eveningReplies).toContain('They are back on Wednesday 25 November from 9am');
    expect(eveningReplies).toContain(content.answer('handoff.cancelled').text);
  });
});
