import Chart from 'chart.js/auto';
import type { DashboardData } from '../model';
import { renderPanel } from './render';
import { followColourScheme } from './scheme';

declare global {
  interface Window {
    /** Chart.js and the drawn charts, for inspection from the browser console. */
    dashboard: { Chart: typeof Chart; charts: Record<string, Chart> };
  }
}

function start(): void {
  const data = JSON.parse(document.getElementById('dashboard-data')!.textContent!) as DashboardData;
  const grid = document.getElementById('panels')!;
  const charts: Record<string, Chart> = {};
  window.dashboard = { Chart, charts };
  Chart.defaults.font.family = 'system-ui, sans-serif';
  followColourScheme(Chart, charts);
  for (const panel of data.panels) {
    const section = grid.appendChild(document.createElement('section'));
    section.className = `panel width-${panel.width ?? 1}`;
    section.id = panel.id;
    section.appendChild(document.createElement('h2')).textContent = panel.title;
    section.appendChild(document.createElement('p')).textContent = panel.subtitle;
    const body = section.appendChild(document.createElement('div'));
    if (panel.error || panel.rows.length === 0) {
      body.className = 'empty';
      body.textContent = panel.error ?? panel.empty ?? 'No data yet: run `twitch-pipeline run` (or `npm start`) and generate the dashboard again.';
      continue;
    }
    const chart = renderPanel(body, panel);
    if (chart) charts[panel.id] = chart;
  }
}

start();
