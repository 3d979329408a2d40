import { insightsCsv } from '../../adapters/adviser/insights/insightsCsv';
import { barChartSvg } from '../../adapters/adviser/insights/insightsCharts';
import { percentile, recentWeekReports, share, suppress, weekReport } from '../../bot/insights/insightsReport';
import { MemoryInsights } from '../../adapters/memory/memoryInsights';
import { countersOf } from '../../bot/insights/insightEvents';
import { isoWeekOfDate, londonIsoWeek, recentWeeks, weekStart } from '../../bot/insights/isoWeek';

describe('ISO weeks in England', () => {
  it.each([
    ['2026-11-23', '2026-W48'],
    ['2026-11-29', '2026-W48'],
    ['2026-12-31', '2026-W53'],
    ['2027-01-03', '2026-W53'],
    ['2027-01-04', '2027-W01'],
    ['2025-12-29', '2026-W01'],
  ])('%s is in %s', (date, week) => {
    expect(isoWeekOfDate(date)).toBe(week);
  });

  it("uses London's date: 23:30 UTC on Sunday 29 March 2026 is already Monday in BST", () => {
    expect(londonIsoWeek(new Date('2026-03-29T23:30:00Z'))).toBe('2026-W14');
    expect(londonIsoWeek(new Date('2026-03-29T22:30:00Z'))).toBe('2026-W13');
  });

  it('gives week starts and the recent weeks, oldest first', () => {
    expect(weekStart('2026-W48')).toBe('2026-11-23');
    expect(weekStart('2026-W01')).toBe('2025-12-29');
    expect(recentWeeks(new Date('2027-01-05T10:00:00Z'), 3)).toEqual(['2026-W52', '2026-W53', '2027-W01']);
  });
});

describe('suppression', () => {
  it('shows 0 as 0, 1 to 4 as "<5", 5 and more as they are', () => {
    expect([0, 1, 4, 5, 12].map(suppress)).toEqual([0, '<5', '<5', 5, 12]);
  });

  it('gives a share only when neither the part nor the rest is 1 to 4', () => {
    expect(share(0, 0)).toBeNull();
    expect(share(0, 10)).toBe(0);
    expect(share(10, 10)).toBe(100);
    expect(share(5, 10)).toBe(50);
    expect(share(3, 10)).toBe('<5'); // the part is small
    expect(share(7, 10)).toBe('<5'); // the rest (3) would be worked out from the shown total
    expect(share(0, 3)).toBe('<5');
  });

  it('takes nearest-rank percentiles', () => {
    // sorted: 60 120 180 240 300 600 ; median rank ceil(0.5*6)=3 -> 180 ; p90 rank ceil(0.9*6)=6 -> 600
    expect(percentile([600, 60, 300, 120, 240, 180], 50)).toBe(180);
    expect(percentile([600, 60, 300, 120, 240, 180], 90)).toBe(600);
  });

  it('shows pick-up waits only from five pick-ups', () => {
    const four = weekReport('2026-W48', { counts: { pickups: 4 }, pickupSeconds: [60, 60, 60, 60] }, []);
    const five = weekReport('2026-W48', { counts: { pickups: 5 }, pickupSeconds: [60, 120, 180, 240, 300] }, []);
    const value = (report: ReturnType<typeof weekReport>, id: string) => report.figures.find((figure) => figure.id === id)?.value;
    expect([value(four, 'pickups'), value(four, 'pickup-median'), value(four, 'pickup-p90')]).toEqual(['<5', '<5', '<5']);
    expect([value(five, 'pickups'), value(five, 'pickup-median'), value(five, 'pickup-p90')]).toEqual([5, 3, 5]);
  });
});

describe('CSV and charts', () => {
  const report = weekReport('2026-W48', { counts: { conversations: 7, 'topic:gcse': 2 }, pickupSeconds: [] }, [{ id: 'gcse', label: 'GCSE options' }]);

  it('writes a row per figure with its benchmark, "<5" for small counts, and no formulas', () => {
    const csv = insightsCsv({ id: 'north', name: '=HYPERLINK("x"), North' }, [report]);
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('school_id,school_name,iso_week,week_starting,figure_id,figure,value,unit,gatsby_benchmark');
    expect(lines).toContain(`north,"'=HYPERLINK(""x""), North",2026-W48,2026-11-23,topic:gcse,GCSE options,<5,conversations,Gatsby 2: learning from career and labour market information`);
    expect(lines).toContain(`north,"'=HYPERLINK(""x""), North",2026-W48,2026-11-23,conversations,Conversations started,7,conversations,Gatsby 3: addressing the needs of each pupil`);
  });

  it('escapes every text in an SVG chart and draws "<5" without its size', () => {
    const svg = barChartSvg({
      title: 'Topics <script>alert(1)</script>',
      subtitle: 'a & b',
      bars: [
        { label: '"x" <y>', value: '<5' },
        { label: 'z', value: 9 },
      ],
      unit: 'count',
    });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('Topics &#60;script&#62;');
    expect(svg).toContain('&#34;x&#34; &#60;y&#62;');
    expect(svg).toContain('>&#60;5</text>');
    expect(svg).toContain('>9</text>');
  });
});

describe("a school's recent weeks, from the store", () => {
  const topics = [{ id: 'gcse', label: 'GCSE options' }];
  const value = (report: { figures: { id: string; value: unknown }[] }, id: string) => report.figures.find((figure) => figure.id === id)?.value;

  it('reads each week of that school only, oldest first, every count suppressed below five', async () => {
    const store = new MemoryInsights();
    const started = countersOf({ kind: 'conversation-started', outOfTerm: false, outOfHours: false });
    for (let n = 0; n < 6; n += 1) await store.increment('north', '2026-W48', [...started, ...countersOf({ kind: 'topic', topic: 'gcse' })]);
    for (let n = 0; n < 3; n += 1) await store.increment('north', '2026-W47', started);
    // another school's week is not this school's
    for (let n = 0; n < 9; n += 1) await store.increment('south', '2026-W48', started);

    const reports = await recentWeekReports(store, 'north', 3, new Date('2026-11-25T10:00:00Z'), topics);
    expect(reports.map((report) => [report.week, report.weekStarting])).toEqual([
      ['2026-W46', '2026-11-09'],
      ['2026-W47', '2026-11-16'],
      ['2026-W48', '2026-11-23'],
    ]);
    expect(reports.map((report) => value(report, 'conversations'))).toEqual([0, '<5', 6]);
    expect(value(reports[2], 'topic:gcse')).toBe(6);
  });
});
