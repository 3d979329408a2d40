import { SUPPRESSED, type Shown } from '../../../bot/insights/insightsReport';

export interface Bar {
  label: string;
  value: Shown;
}

const escapeXml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const WIDTH = 720;
const LABEL_WIDTH = 260;
const VALUE_WIDTH = 70;
const BAR_HEIGHT = 22;
const GAP = 8;
const TOP = 56;
const COLOURS = { bar: '#1d4f91', suppressed: '#6f777b', text: '#0b0c0c', muted: '#505a5f', axis: '#b1b4b6' };

const shownText = (value: Shown, unit: string) => (value === null ? 'none' : value === SUPPRESSED ? SUPPRESSED : `${value}${unit === 'percent' ? '%' : unit === 'minutes' ? ' min' : ''}`);

/**
 * A horizontal bar chart as SVG, drawn on the server. Every piece of text is escaped; there is
 * no script and no style sheet, only presentation attributes. A "<5" bar is drawn grey and
 * short (a fixed stub), so its length gives nothing away.
 */
export function barChartSvg(options: { title: string; subtitle: string; bars: readonly Bar[]; unit: string }): string {
  const { title, subtitle, bars, unit } = options;
  const numbers = bars.map((bar) => (typeof bar.value === 'number' ? bar.value : 0));
  const max = Math.max(unit === 'percent' ? 100 : 5, ...numbers);
  const plotWidth = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 16;
  const height = TOP + bars.length * (BAR_HEIGHT + GAP) + 16;
  const rows = bars.map((bar, index) => {
    const y = TOP + index * (BAR_HEIGHT + GAP);
    const suppressed = bar.value === SUPPRESSED;
    const length = suppressed ? 6 : typeof bar.value === 'number' ? Math.max(bar.value > 0 ? 2 : 0, (bar.value / max) * plotWidth) : 0;
    const text = shownText(bar.value, unit);
    return [
      `  <text x="${LABEL_WIDTH - 8}" y="${y + 15}" text-anchor="end" font-size="13" fill="${COLOURS.text}">${escapeXml(bar.label)}</text>`,
      `  <rect x="${LABEL_WIDTH}" y="${y}" width="${length.toFixed(1)}" height="${BAR_HEIGHT}" fill="${suppressed ? COLOURS.suppressed : COLOURS.bar}"/>`,
      `  <text x="${(LABEL_WIDTH + length + 6).toFixed(1)}" y="${y + 15}" font-size="13" font-weight="bold" fill="${COLOURS.text}">${escapeXml(text)}</text>`,
    ].join('\n');
  });
  const label = `${title}. ${subtitle}. ${bars.map((bar) => `${bar.label}: ${shownText(bar.value, unit)}`).join('; ')}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" font-family="Arial, Helvetica, sans-serif" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeXml(label)}">`,
    `  <title>${escapeXml(label)}</title>`,
    `  <rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `  <text x="8" y="22" font-size="16" font-weight="bold" fill="${COLOURS.text}">${escapeXml(title)}</text>`,
    `  <text x="8" y="42" font-size="12" fill="${COLOURS.muted}">${escapeXml(subtitle)}</text>`,
    `  <line x1="${LABEL_WIDTH}" y1="${TOP - 4}" x2="${LABEL_WIDTH}" y2="${height - 12}" stroke="${COLOURS.axis}"/>`,
    ...rows,
    '</svg>',
    '',
  ].join('\n');
}
