import { withEngine } from '@twitch-pipeline/duckdb';
import { localTimesOf } from '@twitch-pipeline/features';
import type { RunRecord } from './runs-log';
import type { LakeSession } from '../lake/lake-session';

/**
 * The span of time the demo's gold covers, over which its hours watched are compared with the
 * simulator's truth: from one interval before the first snapshot (its samples' lead-ins) to the
 * last snapshot, but never before the local day of the first snapshot begins. Gold publishes the
 * dates the snapshots fall on (and their neighbours that have snapshots); when the first snapshot
 * is less than one interval after local midnight, the lead-in time before midnight lies on a date
 * with no snapshot, which has no gold partition, so the truth leaves it out too.
 *
 * @example
 * await accuracyWindow([new Date('2026-12-01T03:00:00Z'), new Date('2026-12-02T02:30:00Z')], 30, 'America/Sao_Paulo');
 * // { from: 2026-12-01T03:00:00Z (midnight in São Paulo), to: 2026-12-02T02:30:00Z }
 */
export async function accuracyWindow(slots: readonly Date[], intervalMinutes: number, timeZone: string): Promise<{ from: Date; to: Date }> {
  const first = slots[0]!;
  // Every zone's days start on a whole minute, so the first minute of the lead-in on the first
  // snapshot's date (by gold's own reading of local time) is where the covered time begins.
  const minutes = Array.from({ length: intervalMinutes + 1 }, (_, index) => new Date(first.getTime() - (intervalMinutes - index) * 60_000));
  const locals = await withEngine({ threads: 1 }, (engine) => localTimesOf(engine, minutes, timeZone));
  const firstDate = locals.at(-1)!.date;
  return { from: minutes[locals.findIndex((local) => local.date === firstDate)]!, to: slots.at(-1)! };
}

/** What the demo reports once its data is in. */
export interface DemoSummary {
  topCategories: { category: string; hours: number }[];
  topChannels: { channel: string; hours: number; averageViewers: number }[];
  contentShare: { type: string; percent: number }[];
  rows: Record<string, number>;
  /** Gold's estimate of hours watched (joined across snapshots, see docs/transforms.md). */
  goldWatchHours: number;
  /** The original system's formula over the same samples: Σ viewers × minutes live / 60. */
  originalFormulaWatchHours: number;
  trueWatchHours: number;
  /** (gold − truth) / truth × 100. */
  errorPercent: number;
  /** (original formula − truth) / truth × 100. */
  originalFormulaErrorPercent: number;
}

async function rowsOf(session: LakeSession, sql: string): Promise<unknown[][]> {
  return (await session.query(sql)).rows;
}

/**
 * Reads the demo's headline numbers from the lake and compares gold's hours watched with the
 * simulator's ground truth over the same window and languages.
 *
 * @example
 * const summary = await demoSummary(session, record, truth.watchHours);
 */
export async function demoSummary(session: LakeSession, record: RunRecord, trueWatchHours: number): Promise<DemoSummary> {
  const topCategories = await rowsOf(
    session,
    'SELECT nome_categoria, sum(horas_assistidas) FROM gold_categorias_diario GROUP BY 1 ORDER BY 2 DESC LIMIT 5',
  );
  const topChannels = await rowsOf(
    session,
    'SELECT nome_streamer, sum(horas_assistidas), sum(horas_assistidas) * 60 / sum(minutos_transmitidos) FROM gold_streamers_diario GROUP BY 1 ORDER BY 2 DESC LIMIT 5',
  );
  const share = await rowsOf(
    session,
    'SELECT tipo_conteudo, 100 * sum(horas_assistidas) / sum(sum(horas_assistidas)) OVER () FROM gold_categorias_diario GROUP BY 1 ORDER BY 2 DESC',
  );
  const counts = await rowsOf(
    session,
    `SELECT (SELECT count(*) FROM bronze_streams), (SELECT count(*) FROM silver_streams),
            (SELECT count(*) FROM quarantine_streams WHERE layer = 'bronze'), (SELECT count(*) FROM quarantine_streams WHERE layer = 'silver'),
            (SELECT count(*) FROM gold_streams_diario), (SELECT count(*) FROM gold_streamers_diario),
            (SELECT count(*) FROM gold_categorias_diario), (SELECT count(*) FROM gold_idiomas_periodo),
            (SELECT count(*) FROM realtime_events), (SELECT sum(horas_assistidas) FROM gold_streams_diario),
            (SELECT sum(horas_assistidas_total) FROM silver_streams)`,
  );
  const [bronze, silver, atExtract, atSilver, streams, streamers, categories, languages, realtime, goldHours, originalHours] = (counts[0] ?? []).map(Number);
  const goldWatchHours = goldHours ?? 0;
  const originalFormulaWatchHours = originalHours ?? 0;
  const errorOf = (estimate: number) => (trueWatchHours > 0 ? ((estimate - trueWatchHours) / trueWatchHours) * 100 : 0);
  return {
    topCategories: topCategories.map(([category, hours]) => ({ category: String(category), hours: Number(hours) })),
    topChannels: topChannels.map(([channel, hours, average]) => ({ channel: String(channel), hours: Number(hours), averageViewers: Number(average) })),
    contentShare: share.map(([type, percent]) => ({ type: String(type), percent: Number(percent) })),
    rows: {
      quarantined_at_extract: atExtract ?? 0,
      bronze: bronze ?? 0,
      quarantined_at_silver: atSilver ?? 0,
      silver: silver ?? 0,
      gold_streams_diario: streams ?? 0,
      gold_streamers_diario: streamers ?? 0,
      gold_categorias_diario: categories ?? 0,
      gold_idiomas_periodo: languages ?? 0,
      published: record.published,
      consumed: record.consumed,
      realtime_events: realtime ?? 0,
    },
    goldWatchHours,
    originalFormulaWatchHours,
    trueWatchHours,
    errorPercent: errorOf(goldWatchHours),
    originalFormulaErrorPercent: errorOf(originalFormulaWatchHours),
  };
}

const number = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits });

/**
 * The summary as text for the terminal.
 *
 * @example
 * io.out(formatDemoSummary(summary));
 */
export function formatDemoSummary(summary: DemoSummary): string {
  const lines = ['Top categories by hours watched:'];
  for (const [index, item] of summary.topCategories.entries()) lines.push(`  ${index + 1}. ${item.category.padEnd(32)} ${number(item.hours).padStart(12)} h`);
  lines.push('Top channels by hours watched:');
  for (const [index, item] of summary.topChannels.entries()) {
    lines.push(`  ${index + 1}. ${item.channel.padEnd(32)} ${number(item.hours).padStart(12)} h   avg ${number(item.averageViewers)} viewers`);
  }
  const share = summary.contentShare.map((item) => `${item.type} ${number(item.percent, 1)}%`).join(', ');
  lines.push(`Game vs non-game: ${share || 'no hours watched'}`);
  lines.push(`Rows per layer: ${Object.entries(summary.rows).map(([layer, rows]) => `${layer} ${number(rows)}`).join(', ')}`);
  const signed = (percent: number) => `${percent >= 0 ? '+' : ''}${percent.toFixed(2)}%`;
  if (summary.trueWatchHours === 0) {
    lines.push(`Accuracy: not measured: the simulator's ground truth has no hours watched over the window and languages.`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    `Accuracy: gold's estimate says ${number(summary.goldWatchHours)} hours watched; the simulator's ground truth over the same window ` +
      `and languages is ${number(summary.trueWatchHours)} h (${signed(summary.errorPercent)}; the original system's formula: ` +
      `${number(summary.originalFormulaWatchHours)} h, ${signed(summary.originalFormulaErrorPercent)}).`,
  );
  return `${lines.join('\n')}\n`;
}
