import type Chart from 'chart.js/auto';
import { DARK, LIGHT, type Palette } from '../palette';

/** As in the styles: dark on a screen that asks for it, never on paper. */
const DARK_SCREEN = 'screen and (prefers-color-scheme: dark)';

function paint(chart: typeof Chart, palette: Palette): void {
  // Ticks, axis titles and legends read `color`; grid lines and axis borders `borderColor`.
  chart.defaults.color = palette.chartText;
  chart.defaults.borderColor = palette.chartGrid;
  // Chart.js rings each doughnut slice in white, a bright seam on a dark panel.
  chart.defaults.elements.arc.borderColor = palette.panel;
}

/** The colours of a scale that a chart keeps once drawn (see {@link recolour}). */
type ScaleColours = Partial<Record<'ticks' | 'title' | 'grid' | 'border', { color?: unknown }>>;

/**
 * Gives a chart already drawn the palette's colours. Chart.js copies the defaults' colours into
 * each scale of a chart when it first draws it, so new defaults alone reach only its legend.
 */
function recolour(drawn: Chart, palette: Palette): void {
  for (const scale of Object.values((drawn.config.options?.scales ?? {}) as Record<string, ScaleColours>)) {
    for (const part of ['ticks', 'title'] as const) if (scale[part]) scale[part].color = palette.chartText;
    for (const part of ['grid', 'border'] as const) if (scale[part]) scale[part].color = palette.chartGrid;
  }
  drawn.update('none');
}

/**
 * Gives Chart.js the colours of the page's scheme, now and whenever it changes: the reader's
 * system switching between light and dark, or printing, which stays light. A canvas does not
 * follow the styles, so each chart drawn in `charts` is drawn again in the new colours.
 *
 * @example
 * followColourScheme(Chart, window.dashboard.charts);
 */
export function followColourScheme(chart: typeof Chart, charts: Record<string, Chart>): void {
  const dark = window.matchMedia(DARK_SCREEN);
  const apply = (palette: Palette) => {
    paint(chart, palette);
    for (const drawn of Object.values(charts)) recolour(drawn, palette);
  };
  paint(chart, dark.matches ? DARK : LIGHT);
  dark.addEventListener('change', () => apply(dark.matches ? DARK : LIGHT));
  // A print dialog lays out the page for paper before the query above has changed in every browser.
  window.addEventListener('beforeprint', () => apply(LIGHT));
  window.addEventListener('afterprint', () => apply(dark.matches ? DARK : LIGHT));
}
