import type { WeekReport } from '../../../bot/insights/insightsReport';

/** One CSV cell: quoted when needed, and never read as a formula by a spreadsheet. */
function cell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The insights of one school, a row per figure per week, counts under five as "<5". */
export function insightsCsv(school: { id: string; name: string }, weeks: readonly WeekReport[]): string {
  const rows: (string | number | null)[][] = [['school_id', 'school_name', 'iso_week', 'week_starting', 'figure_id', 'figure', 'value', 'unit', 'gatsby_benchmark']];
  for (const week of weeks) {
    for (const figure of week.figures) rows.push([school.id, school.name, week.week, week.weekStarting, figure.id, figure.label, figure.value, figure.unit, figure.benchmark]);
  }
  return `${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}
