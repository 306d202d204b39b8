import type { PanelData } from '../../src/dashboard/model';

const HOURS = ['00h', '01h', '02h', '03h', '04h', '05h', '06h', '07h', '08h', '09h', '10h', '11h'];

/**
 * One dashboard panel of each kind that draws a chart (two series, bars, a doughnut) and a
 * heat-map with every shade from 0 to its maximum: what the page tests draw in a real browser.
 *
 * @example
 * const data: DashboardData = { generatedAt, dataDir: 'data', timeZone: 'UTC', panels: [...CHART_PANELS, tablePanel] };
 */
export const CHART_PANELS: readonly PanelData[] = [
  {
    id: 'lines',
    title: 'Hours by category',
    subtitle: 'two series',
    kind: 'series',
    unit: 'hours',
    columns: ['x', 'series', 'y'],
    rows: [
      ['12-06 10:00', 'Music', 1234.5],
      ['12-06 10:00', 'Fortnite', 7],
      ['12-06 11:00', 'Music', 99],
    ],
  },
  { id: 'bars', title: 'Top channels', subtitle: 'bars', kind: 'bar', unit: 'hours', columns: ['label', 'value'], rows: [['gaules', 4321], ['loud', 12]] },
  { id: 'share', title: 'Game vs non-game', subtitle: 'shares', kind: 'doughnut', columns: ['label', 'value'], rows: [['Game', 60], ['Non-Game', 40]] },
  {
    id: 'heat',
    title: 'Best times',
    subtitle: 'every shade from 0 to the maximum',
    kind: 'heatmap',
    columns: ['x', 'series', 'y'],
    rows: HOURS.flatMap((hour, index) => [
      [hour, 'Music', index * 10],
      [hour, 'Chess', 110 - index * 10],
    ]),
  },
];
