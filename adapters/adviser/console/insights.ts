// The insights page: one school's anonymous weekly figures, as server-drawn SVG charts, tables
// and a CSV download. Plain DOM and no inline script (the console's Content-Security-Policy).
// Every text from the server goes in as text (dom.ts); charts are <img> of same-origin SVG.
import type { FigureView, InsightsResponse, SessionResponse, WeekView } from '../shared/consoleApi';
import { Api, errorMessage } from './api';
import { byId, clear, el, setText } from './dom';

/** Charts drawn week by week; the others are drawn for the week chosen. */
const TREND_CHARTS = new Set(['conversations', 'pickups']);
const UNIT_SUFFIX: Record<string, string> = { percent: '%', minutes: ' min' };

const ui = {
  userArea: byId('user-area', HTMLDivElement),
  userName: byId('user-name', HTMLElement),
  error: byId('insights-error', HTMLParagraphElement),
  status: byId('insights-status', HTMLParagraphElement),
  signedOut: byId('signed-out', HTMLElement),
  view: byId('insights-view', HTMLElement),
  form: byId('insights-form', HTMLFormElement),
  school: byId('school-select', HTMLSelectElement),
  weeks: byId('weeks-select', HTMLSelectElement),
  week: byId('week-select', HTMLSelectElement),
  csv: byId('csv-link', HTMLAnchorElement),
  charts: byId('charts', HTMLDivElement),
  figures: byId('figures', HTMLDivElement),
};

const api = new Api(() => (ui.signedOut.hidden = false));
let data: InsightsResponse | null = null;
let generation = 0;

function query(extra: Record<string, string> = {}): string {
  return new URLSearchParams({ school: ui.school.value, weeks: ui.weeks.value, ...extra }).toString();
}

function shown(figure: FigureView): string {
  if (figure.value === null) return 'none';
  if (figure.value === '<5') return '<5';
  return `${figure.value}${UNIT_SUFFIX[figure.unit] ?? ''}`;
}

function weekLabel(week: WeekView): string {
  const date = new Date(`${week.weekStarting}T00:00:00Z`);
  return `Week beginning ${date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })} (${week.week})`;
}

function selectedWeek(shown: InsightsResponse): WeekView {
  return shown.weeks.find((week) => week.week === ui.week.value) ?? shown.weeks[shown.weeks.length - 1];
}

function renderCharts(shown: InsightsResponse): void {
  clear(ui.charts);
  const week = selectedWeek(shown);
  for (const [id, chart] of Object.entries(shown.charts)) {
    const figure = el('figure', 'chart');
    const image = el('img');
    const trend = TREND_CHARTS.has(id);
    image.src = `/api/adviser/insights/chart.svg?${query(trend ? { chart: id } : { chart: id, week: week.week })}`;
    image.alt = `${chart.title} for ${shown.school.name}${trend ? ', week by week' : `, ${weekLabel(week)}`}. The figures are in the tables below.`;
    image.width = 720;
    image.height = 300;
    figure.appendChild(image);
    figure.appendChild(el('figcaption', null, `Evidence for ${chart.benchmark}`));
    ui.charts.appendChild(figure);
  }
}

function renderFigures(shownData: InsightsResponse): void {
  clear(ui.figures);
  const week = selectedWeek(shownData);
  for (const [id, chart] of Object.entries(shownData.charts)) {
    const table = el('table', 'figures');
    table.dataset.chart = id;
    table.appendChild(el('caption', null, `${chart.title}: ${weekLabel(week)}`));
    const headRow = table.appendChild(el('thead')).appendChild(el('tr'));
    for (const title of ['Figure', 'Value', 'Gatsby Benchmark']) headRow.appendChild(el('th', null, title)).scope = 'col';
    const body = table.appendChild(el('tbody'));
    for (const figure of week.figures.filter((candidate) => candidate.chart === id)) {
      const row = body.appendChild(el('tr'));
      row.dataset.figure = figure.id;
      row.appendChild(el('th', null, figure.label)).scope = 'row';
      row.appendChild(el('td', 'figures__value', shown(figure)));
      row.appendChild(el('td', null, figure.benchmark));
    }
    ui.figures.appendChild(table);
  }
}

function render(shownData: InsightsResponse): void {
  const previous = ui.week.value;
  clear(ui.week);
  for (const week of [...shownData.weeks].reverse()) ui.week.appendChild(new Option(weekLabel(week), week.week));
  if (shownData.weeks.some((week) => week.week === previous)) ui.week.value = previous;
  ui.csv.href = `/api/adviser/insights.csv?${query()}`;
  renderCharts(shownData);
  renderFigures(shownData);
}

async function load(): Promise<void> {
  const mine = (generation += 1);
  setText(ui.status, 'Loading the figures…');
  setText(ui.error, '');
  const response = await api.request<InsightsResponse>('GET', `/api/adviser/insights?${query()}`);
  if (mine !== generation) return;
  if (!response.ok || !response.data) {
    setText(ui.status, '');
    return setText(ui.error, errorMessage(response, `The figures could not be loaded (error ${response.status}).`));
  }
  data = response.data;
  render(data);
  setText(ui.status, `Showing ${data.school.name}.`);
}

ui.school.addEventListener('change', () => void load());
ui.weeks.addEventListener('change', () => void load());
ui.week.addEventListener('change', () => {
  if (!data) return;
  renderCharts(data);
  renderFigures(data);
});
ui.form.addEventListener('submit', (event) => event.preventDefault());

api
  .request<SessionResponse>('GET', '/api/adviser/session')
  .then(async (response) => {
    if (response.status === 401 || !response.data) return void (ui.signedOut.hidden = false);
    setText(ui.userName, response.data.username);
    ui.userArea.hidden = false;
    const { schools } = response.data;
    if (schools.length === 0) return setText(ui.error, 'Your account is not linked to any school of this service. Ask whoever runs it to add your schools.');
    for (const school of schools) ui.school.appendChild(new Option(school.name, school.id));
    ui.view.hidden = false;
    await load();
  })
  .catch(() => setText(ui.error, 'The server could not be reached. Check your connection and reload the page.'));
