import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { WEEK_PATTERN } from '../../../bot/insights/isoWeek';
import type { InsightsStore } from '../../../bot/ports';
import type { SchoolDirectory } from '../../../bot/schools/schoolDirectory';
import { SchoolId } from '../../../knowledge/schoolsSchema';
import { codeFor, sendError } from '../../http/errors';
import { imagePolicy } from '../../http/securityHeaders';
import type { SchoolScope } from '../adviserSchools';
import type { InsightsResponse } from '../shared/consoleApi';
import { barChartSvg, type Bar } from './insightsCharts';
import { insightsCsv } from './insightsCsv';
import { CHARTS, recentWeekReports, type ChartId, type WeekReport } from '../../../bot/insights/insightsReport';

export interface InsightsRoutesDeps {
  insights: InsightsStore;
  schools: SchoolDirectory;
  topics: readonly { id: string; label: string }[];
  now: () => Date;
  /** The signed-in adviser's schools, or undefined with the refusal (401) sent. */
  scopeOf(req: Request, res: Response): Promise<SchoolScope | undefined>;
}

const Query = z.object({
  school: SchoolId,
  weeks: z.coerce.number().int().min(1).max(52).default(8),
});
const ChartQuery = Query.extend({
  chart: z.enum(Object.keys(CHARTS) as [ChartId, ...ChartId[]]),
  week: z.string().regex(WEEK_PATTERN).optional(),
});

const shortDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const weekLabel = (report: WeekReport) => `w/c ${shortDate.format(new Date(`${report.weekStarting}T00:00:00Z`))} (${report.week})`;

/**
 * The insights API: JSON, CSV and server-drawn SVG charts of one school's weeks, for advisers
 * of that school only (another school's gets 403). Only counts, suppressed below five.
 */
export function addInsightsRoutes(router: Router, deps: InsightsRoutesDeps): void {
  /** The school asked for and its last weeks, or the refusal sent. */
  const load = async <T extends z.ZodType<{ school: string; weeks: number }>>(req: Request, res: Response, schema: T) => {
    const scope = await deps.scopeOf(req, res);
    if (!scope) return undefined;
    const parsed = schema.safeParse(req.query);
    if (!parsed.success) return void sendError(res, 400, codeFor(400), `bad query: ${parsed.error.issues[0].path.join('.')} ${parsed.error.issues[0].message}`);
    const query: z.infer<T> = parsed.data;
    const school = deps.schools.get(query.school);
    if (!school) return void sendError(res, 404, codeFor(404), 'no such school');
    if (!scope.allows(school.id)) return void sendError(res, 403, codeFor(403), 'that school is not one you work for');
    const reports = await recentWeekReports(deps.insights, school.id, query.weeks, deps.now(), deps.topics);
    return { query, school, reports };
  };

  router.get('/insights', async (req, res) => {
    const loaded = await load(req, res, Query);
    if (!loaded) return;
    const body: InsightsResponse = { school: { id: loaded.school.id, name: loaded.school.name }, charts: CHARTS, weeks: loaded.reports };
    res.status(200).json(body);
  });

  router.get('/insights.csv', async (req, res) => {
    const loaded = await load(req, res, Query);
    if (!loaded) return;
    const { school, reports } = loaded;
    const name = `insights-${school.id}-${reports[0].week}-to-${reports[reports.length - 1].week}.csv`;
    res.status(200).set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}"` });
    res.send(insightsCsv(school, reports));
  });

  router.get('/insights/chart.svg', imagePolicy, async (req, res) => {
    const loaded = await load(req, res, ChartQuery);
    if (!loaded) return;
    const { query, school, reports } = loaded;
    const chart = CHARTS[query.chart];
    const svg = trendChart(query.chart, reports) ?? weekChart(query.chart, reports, query.week);
    if (!svg) return sendError(res, 400, codeFor(400), 'week is not one of the weeks shown');
    res
      .status(200)
      .type('image/svg+xml; charset=utf-8')
      .send(barChartSvg({ ...svg, title: `${chart.title}: ${school.name}`, subtitle: `${svg.subtitle}. Evidence for ${chart.benchmark}` }));
  });
}

/** Conversations and waits are drawn week by week. */
function trendChart(chart: ChartId, reports: readonly WeekReport[]): { bars: Bar[]; unit: string; subtitle: string } | undefined {
  const figureId = chart === 'conversations' ? 'conversations' : chart === 'pickups' ? 'pickup-median' : undefined;
  if (!figureId) return undefined;
  const bars = reports.map((report) => ({ label: weekLabel(report), value: report.figures.find((figure) => figure.id === figureId)?.value ?? null }));
  return { bars, unit: chart === 'pickups' ? 'minutes' : 'conversations', subtitle: chart === 'pickups' ? 'Median wait each week (shown from 5 pick-ups)' : 'Each week' };
}

/** Topics, needs, priorities and outcomes are drawn for one week (the latest unless asked). */
function weekChart(chart: ChartId, reports: readonly WeekReport[], week: string | undefined): { bars: Bar[]; unit: string; subtitle: string } | undefined {
  const report = week ? reports.find((candidate) => candidate.week === week) : reports[reports.length - 1];
  if (!report) return undefined;
  const bars = report.figures.filter((figure) => figure.chart === chart).map((figure) => ({ label: figure.label, value: figure.value }));
  return { bars, unit: 'count', subtitle: `Week beginning ${weekLabel(report).slice(4)}` };
}
