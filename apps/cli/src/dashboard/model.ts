import type { PanelDefinition } from './panels';

/** A panel with its rows, as embedded in the page. */
export interface PanelData extends Omit<PanelDefinition, 'sql'> {
  columns: string[];
  rows: unknown[][];
  /** Set when the panel's query failed; the page shows it instead of a chart. */
  error?: string;
}

/** Everything the page needs, embedded as JSON. */
export interface DashboardData {
  generatedAt: string;
  dataDir: string;
  timeZone: string;
  panels: PanelData[];
}
