import Chart from 'chart.js/auto';
import type { PanelData } from '../model';
import { ACCENT_RGB, DARK, inkOn, LIGHT } from '../palette';

const PALETTE = ['#9146ff', '#00b5ad', '#f2711c', '#2185d0', '#db2828', '#fbbd08', '#21ba45', '#a333c8', '#e03997', '#767676'];

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

function column(panel: PanelData, name: string): number {
  const index = panel.columns.indexOf(name);
  if (index < 0) throw new Error(`panel ${panel.id}: its query must return a "${name}" column`);
  return index;
}

function pivot(panel: PanelData): { labels: string[]; datasets: { label: string; data: (number | null)[] }[] } {
  const [x, series, y] = [column(panel, 'x'), column(panel, 'series'), column(panel, 'y')];
  const labels = [...new Set(panel.rows.map((row) => String(row[x])))];
  const names = [...new Set(panel.rows.map((row) => String(row[series])))];
  // A null value is no figure (a channel's day with no airtime yet has no average): a gap in a
  // line and a blank cell, never 0 viewers. A pair without a row is 0: nothing of that series there.
  const values = new Map(panel.rows.map((row) => [`${row[x]}\u0000${row[series]}`, row[y] === null ? null : Number(row[y])]));
  return {
    labels,
    datasets: names.map((name) => ({
      label: name,
      data: labels.map((label) => {
        const key = `${label}\u0000${name}`;
        return values.has(key) ? values.get(key)! : 0;
      }),
    })),
  };
}

/**
 * A name from the lake set apart for the bidirectional algorithm (first strong isolate … pop):
 * a right-to-left name beside a number would otherwise carry it to its side ("4,500 :משחקים").
 */
function isolated(name: string): string {
  return `\u2068${name}\u2069`;
}

function tooltipLabel(unit: string | undefined) {
  return (context: { dataset: { label?: string }; parsed: number | { x: number; y: number }; chart: { config: { type: string } } }) => {
    const parsed = context.parsed;
    const horizontal = typeof parsed === 'object' && context.chart.config.type === 'bar';
    const value = typeof parsed === 'number' ? parsed : horizontal && parsed.y === undefined ? parsed.x : (parsed.y ?? parsed.x);
    return `${isolated(context.dataset.label ?? '')}: ${numberFormat.format(value)}${unit ? ` ${unit}` : ''}`;
  };
}

/** Lines over x (`series`), or bars per x whose series add up (`stacked`) or stand side by side (`grouped`: averages, which do not add). */
function seriesChart(canvas: HTMLCanvasElement, panel: PanelData): Chart {
  const { labels, datasets } = pivot(panel);
  const stacked = panel.kind === 'stacked';
  return new Chart(canvas, {
    type: panel.kind === 'series' ? 'line' : 'bar',
    data: {
      labels,
      datasets: datasets.map((dataset, index) => ({
        ...dataset,
        borderColor: PALETTE[index % PALETTE.length],
        backgroundColor: PALETTE[index % PALETTE.length],
        pointRadius: 0,
        tension: 0.25,
      })),
    },
    options: {
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: { x: { stacked }, y: { stacked, beginAtZero: true, title: { display: Boolean(panel.unit), text: panel.unit ?? '' } } },
      plugins: { tooltip: { callbacks: { label: tooltipLabel(panel.unit) as never } } },
    },
  });
}

function barChart(canvas: HTMLCanvasElement, panel: PanelData): Chart {
  const [label, value] = [column(panel, 'label'), column(panel, 'value')];
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: panel.rows.map((row) => String(row[label])),
      datasets: [{ label: panel.unit ?? 'value', data: panel.rows.map((row) => Number(row[value])), backgroundColor: PALETTE[0] }],
    },
    options: {
      indexAxis: 'y',
      maintainAspectRatio: false,
      plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true, title: { display: Boolean(panel.unit), text: panel.unit ?? '' } }, y: { ticks: { autoSkip: false } } },
    },
  });
}

function doughnutChart(canvas: HTMLCanvasElement, panel: PanelData): Chart {
  const [label, value] = [column(panel, 'label'), column(panel, 'value')];
  const values = panel.rows.map((row) => Number(row[value]));
  const total = values.reduce((sum, item) => sum + item, 0);
  return new Chart(canvas, {
    type: 'doughnut',
    data: {
      labels: panel.rows.map((row, index) => `${isolated(String(row[label]))} (${total ? Math.round((values[index]! / total) * 100) : 0}%)`),
      datasets: [{ label: panel.unit ?? 'value', data: values, backgroundColor: PALETTE }],
    },
    options: { maintainAspectRatio: false, plugins: { legend: { position: 'right' } } },
  });
}

/** Characters past which a text cell holds its column open wider (see .long in the styles). */
const LONG_TEXT = 40;

function cell(value: unknown): string {
  if (typeof value === 'number') return numberFormat.format(value);
  return value === null || value === undefined ? '' : String(value);
}

/**
 * The box a table scrolls in, on a narrow screen: a named region a keyboard can reach (Tab) and
 * scroll (arrow keys), which a box holding nothing focusable is not in every browser.
 */
function scrollBox(container: HTMLElement, panel: PanelData, className = 'table'): HTMLTableElement {
  const wrapper = container.appendChild(document.createElement('div'));
  wrapper.className = className;
  wrapper.tabIndex = 0;
  wrapper.setAttribute('role', 'region');
  wrapper.setAttribute('aria-label', `${panel.title} (table)`);
  return wrapper.appendChild(document.createElement('table'));
}

function table(container: HTMLElement, panel: PanelData): void {
  const element = scrollBox(container, panel);
  const head = element.createTHead().insertRow();
  for (const name of panel.columns) head.appendChild(document.createElement('th')).textContent = name;
  const body = element.createTBody();
  for (const row of panel.rows) {
    const line = body.insertRow();
    for (const value of row) {
      const td = line.insertCell();
      td.textContent = cell(value);
      // Text wraps (see .text in the styles): a title cut at the column's edge could be read
      // whole only by hovering a mouse over it, never from a keyboard or a touch screen.
      td.className = typeof value === 'number' ? 'number' : cell(value).length > LONG_TEXT ? 'text long' : 'text';
      td.title = cell(value);
    }
  }
}

/**
 * A colour-scaled grid: one row per series, one column per x, the cell's shade by its value; a
 * cell whose value is null (no figure yet, as a channel's hour with no airtime) is left blank.
 */
function heatmap(container: HTMLElement, panel: PanelData): void {
  const { labels, datasets } = pivot(panel);
  const max = Math.max(0, ...datasets.flatMap((dataset) => dataset.data.map((value) => value ?? 0)));
  const element = scrollBox(container, panel, 'table heatmap');
  const head = element.createTHead().insertRow();
  head.insertCell();
  for (const label of labels) head.appendChild(document.createElement('th')).textContent = label;
  const body = element.createTBody();
  for (const dataset of datasets) {
    const line = body.insertRow();
    line.appendChild(document.createElement('th')).textContent = dataset.label;
    for (const [index, value] of dataset.data.entries()) {
      const td = line.insertCell();
      if (value === null) {
        td.title = `${dataset.label} at ${labels[index]}: no figure yet`;
        continue;
      }
      const share = max > 0 ? value / max : 0;
      td.className = 'number';
      td.textContent = numberFormat.format(value);
      td.title = `${dataset.label} at ${labels[index]}: ${numberFormat.format(value)}${panel.unit ? ` ${panel.unit}` : ''}`;
      const alpha = 0.08 + 0.92 * share;
      td.style.background = `rgba(${ACCENT_RGB.join(', ')}, ${alpha.toFixed(3)})`;
      // One ink per scheme, the styles choosing: the shade is translucent over a panel the scheme colours.
      for (const [scheme, palette] of [['light', LIGHT], ['dark', DARK]] as const) {
        const ink = inkOn(alpha, palette);
        if (ink) td.style.setProperty(`--ink-${scheme}`, ink);
      }
    }
  }
}

const CHART_NAMES: Partial<Record<PanelData['kind'], string>> = {
  series: 'line chart',
  stacked: 'stacked bar chart',
  grouped: 'bar chart',
  bar: 'bar chart',
  doughnut: 'doughnut chart',
};

/**
 * A chart's numbers as a table, closed under the chart: its text alternative for a screen
 * reader, and the figures for a keyboard or for eyes that cannot tell its colours apart.
 */
function chartTable(container: HTMLElement, panel: PanelData): void {
  const details = container.appendChild(document.createElement('details'));
  details.className = 'chart-data';
  details.appendChild(document.createElement('summary')).textContent = 'Data table';
  const unit = panel.unit ? ` (${panel.unit})` : '';
  let header: string[];
  let rows: [string, ...(number | null)[]][];
  if (panel.kind === 'bar' || panel.kind === 'doughnut') {
    const [label, value] = [column(panel, 'label'), column(panel, 'value')];
    header = [panel.unit ?? 'value'];
    rows = panel.rows.map((row) => [String(row[label]), Number(row[value])]);
  } else {
    const { labels, datasets } = pivot(panel);
    header = datasets.map((dataset) => (dataset.label === panel.unit ? dataset.label : `${dataset.label}${unit}`));
    rows = labels.map((label, index) => [label, ...datasets.map((dataset) => dataset.data[index]!)]);
  }
  const element = scrollBox(details, panel);
  const head = element.createTHead().insertRow();
  head.insertCell();
  for (const name of header) head.appendChild(document.createElement('th')).textContent = name;
  const body = element.createTBody();
  for (const [label, ...values] of rows) {
    const line = body.insertRow();
    line.appendChild(document.createElement('th')).textContent = label;
    for (const value of values) {
      const td = line.insertCell();
      td.className = 'number';
      td.textContent = cell(value);
    }
  }
}

function stats(container: HTMLElement, panel: PanelData): void {
  const [label, value, detail] = [column(panel, 'label'), column(panel, 'value'), column(panel, 'detail')];
  const grid = container.appendChild(document.createElement('div'));
  grid.className = 'stats';
  for (const row of panel.rows) {
    const item = grid.appendChild(document.createElement('div'));
    item.className = 'stat';
    item.appendChild(document.createElement('span')).textContent = cell(row[label]);
    item.appendChild(document.createElement('strong')).textContent = cell(row[value]) || '—';
    item.appendChild(document.createElement('small')).textContent = cell(row[detail]);
  }
}

/**
 * Draws one panel's body into its container; returns the chart when it drew one.
 *
 * @example
 * const chart = renderPanel(section.querySelector('.body')!, panel);
 */
export function renderPanel(container: HTMLElement, panel: PanelData): Chart | undefined {
  if (panel.kind === 'table' || panel.kind === 'stats' || panel.kind === 'heatmap') {
    ({ table, stats, heatmap })[panel.kind](container, panel);
    return undefined;
  }
  const holder = container.appendChild(document.createElement('div'));
  holder.className = 'chart';
  const canvas = holder.appendChild(document.createElement('canvas'));
  canvas.dataset.panel = panel.id;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `${panel.title}: ${CHART_NAMES[panel.kind]}; its data is in the table below`);
  const chart =
    panel.kind === 'series' || panel.kind === 'stacked' || panel.kind === 'grouped'
      ? seriesChart(canvas, panel)
      : panel.kind === 'bar'
        ? barChart(canvas, panel)
        : doughnutChart(canvas, panel);
  chartTable(container, panel);
  return chart;
}
