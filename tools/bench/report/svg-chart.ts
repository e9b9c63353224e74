/** One panel of horizontal bars: one bar per arm, the value written at its end. */
export interface BarPanel {
  readonly title: string;
  readonly unit: string;
  /** How a value is written next to its bar (default: with thousands separators). */
  readonly format?: (value: number) => string;
  /** `missing`: what to write for a bar without a value (default "n/a"). */
  readonly bars: readonly { readonly label: string; readonly value: number | undefined; readonly missing?: string }[];
}

const PANEL_WIDTH = 420;
const BAR_HEIGHT = 18;
const BAR_GAP = 8;
const LABEL_WIDTH = 120;
const VALUE_ROOM = 90;
/** One colour per arm, by its place in `colourOrder` (the Okabe–Ito palette: tells apart under colour blindness). */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00'];

export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string,
  );
}

/**
 * A standalone SVG of bar panels, `columns` to a row, written with plain string templates (no
 * chart library: a few rectangles and labels). A missing value draws an empty bar marked "n/a" (or the bar's own `missing` text).
 */
export function renderBarChart(
  title: string,
  subtitle: string,
  panels: readonly BarPanel[],
  options: { columns: number; colourOrder: readonly string[] },
): string {
  const panelHeight = (panel: BarPanel) => 40 + panel.bars.length * (BAR_HEIGHT + BAR_GAP);
  const rowHeight = Math.max(0, ...panels.map(panelHeight));
  const rows = Math.ceil(panels.length / options.columns);
  const width = options.columns * PANEL_WIDTH + 20;
  const height = 70 + rows * (rowHeight + 20);
  const body = panels.map((panel, index) => {
    const x = 10 + (index % options.columns) * PANEL_WIDTH;
    const y = 70 + Math.floor(index / options.columns) * (rowHeight + 20);
    return renderPanel(panel, x, y, options.colourOrder);
  });
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="24" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="10" y="46" fill="#555555">${escapeXml(subtitle)}</text>`,
    ...body,
    `</svg>`,
    '',
  ].join('\n');
}

function renderPanel(panel: BarPanel, x: number, y: number, colourOrder: readonly string[]): string {
  const scaleWidth = PANEL_WIDTH - LABEL_WIDTH - VALUE_ROOM;
  const largest = Math.max(0, ...panel.bars.map((bar) => bar.value ?? 0));
  const bars = panel.bars.map((bar, index) => {
    const top = y + 28 + index * (BAR_HEIGHT + BAR_GAP);
    const length = largest > 0 && bar.value !== undefined ? Math.max(1, (bar.value / largest) * scaleWidth) : 0;
    const colour = PALETTE[Math.max(0, colourOrder.indexOf(bar.label)) % PALETTE.length] as string;
    const value =
      bar.value === undefined
        ? (bar.missing ?? 'n/a')
        : `${(panel.format ?? ((n: number) => n.toLocaleString('en-US')))(bar.value)} ${panel.unit}`;
    return [
      `<text x="${x + LABEL_WIDTH - 6}" y="${top + 13}" text-anchor="end">${escapeXml(bar.label)}</text>`,
      `<rect class="bar" data-arm="${escapeXml(bar.label)}" x="${x + LABEL_WIDTH}" y="${top}" width="${length.toFixed(1)}" height="${BAR_HEIGHT}" fill="${colour}"/>`,
      `<text x="${(x + LABEL_WIDTH + length + 4).toFixed(1)}" y="${top + 13}">${escapeXml(value)}</text>`,
    ].join('\n');
  });
  return [
    `<g class="panel">`,
    `<text x="${x}" y="${y + 14}" font-weight="bold">${escapeXml(panel.title)}</text>`,
    ...bars,
    `</g>`,
  ].join('\n');
}
