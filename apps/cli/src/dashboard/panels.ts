import type { LakeSession } from '../lake/lake-session';

/**
 * How the page draws a panel's rows. Each kind reads fixed column names from the panel's SQL:
 * - `series` (lines) and `stacked` (stacked bars): `x`, `series`, `y`
 * - `bar` (horizontal bars) and `doughnut`: `label`, `value`
 * - `table`: every column, in order
 * - `stats`: `label`, `value`, `detail`
 * - `heatmap` (a colour-scaled grid): `x` (columns), `series` (rows), `y` (the value)
 */
export type PanelKind = 'series' | 'stacked' | 'grouped' | 'bar' | 'doughnut' | 'table' | 'stats' | 'heatmap';

/** One dashboard panel: a query over the lake views and how to draw its rows. */
export interface PanelDefinition {
  id: string;
  title: string;
  subtitle: string;
  kind: PanelKind;
  /** Unit of the values, shown on axes and tooltips. */
  unit?: string;
  /** Grid columns the panel spans (1 or 2). */
  width?: 1 | 2;
  /** DuckDB SQL over the views of `query --list`. */
  sql: string;
  /** What the panel says when the query returns no rows, if more than that nothing ran yet. */
  empty?: string;
}

/** The latest snapshot's top 20 channels, made once per page for the two panels that show them. */
const LIVE_NOW_TABLE = 'dashboard_live_now';
/** The real-time figures of the freshness panel. */
const REALTIME_FIGURES_TABLE = 'dashboard_realtime_figures';

/**
 * A table the page makes once, before its panels, for the panels whose SQL names it: each read
 * of the real-time table costs a read of every segment (seconds at the whole platform's size).
 */
export interface PreparedTable {
  name: string;
  create: (session: LakeSession) => Promise<unknown>;
}

/**
 * The tables the dashboard's panels read besides the views. The latest snapshot is read from
 * the segments that can hold it (`queryNewestRealtime`); the freshness figures, distinct
 * channels and newest time, need every segment but not the ranking of versions.
 */
export const DASHBOARD_TABLES: PreparedTable[] = [
  {
    name: LIVE_NOW_TABLE,
    create: (session) =>
      session.queryNewestRealtime(
        (source) => `
          CREATE OR REPLACE TEMP TABLE ${LIVE_NOW_TABLE} AS
          WITH latest AS (SELECT max("timestamp") AS at FROM ${source})
          SELECT row_number() OVER (ORDER BY espectadores DESC) AS position, nome_streamer AS channel, nome_categoria AS category,
                 idioma AS language, espectadores AS viewers, titulo AS title
          FROM ${source}, latest WHERE "timestamp" = latest.at ORDER BY position LIMIT 20`,
        (source) => `SELECT epoch_ms(max("timestamp")) FROM ${source}`,
      ),
  },
  {
    name: REALTIME_FIGURES_TABLE,
    create: (session) =>
      session.query(`
        CREATE OR REPLACE TEMP TABLE ${REALTIME_FIGURES_TABLE} AS
        SELECT max("timestamp") AS newest, count(DISTINCT nome_streamer) AS channels FROM ${session.realtimeEveryVersion()}`),
  },
];

/**
 * Bars of the latest day's growth against the trailing 7 days, for categories or channels over the
 * volume threshold. "Latest" is the newest day with eligible rows: just after midnight the new day
 * has none yet, and the panel keeps showing the day before rather than going blank.
 */
function risingPanel(dimension: 'categoria' | 'streamer'): PanelDefinition {
  const subject = dimension === 'categoria' ? 'categories' : 'channels';
  return {
    id: dimension === 'categoria' ? 'rising-categories' : 'rising-streamers',
    title: `Rising ${subject}`,
    subtitle: `hours watched ÷ the trailing 7-day average (1 = flat), on the newest day with ${subject} over the volume threshold`,
    kind: 'bar',
    unit: '× 7-day average',
    // The dimension is one of two constants of this file, never user input.
    sql: `
      SELECT nome AS label, round(crescimento_horas, 2) AS value FROM gold_tendencias_diario
      WHERE dimensao = '${dimension}' AND elegivel
        AND data = (SELECT max(data) FROM gold_tendencias_diario WHERE dimensao = '${dimension}' AND elegivel)
      ORDER BY crescimento_horas DESC, horas_assistidas DESC, nome LIMIT 12`,
    empty:
      `No day to rank yet: a day's hours are set against the days before it, so this needs ${subject} over the volume threshold ` +
      'on a day that has history before it. Collect for longer (for instance `twitch-pipeline backfill --hours 48`) and generate the dashboard again.',
  };
}

/**
 * The panels of the dashboard, in page order. To add one, append a definition here whose SQL
 * returns the columns its kind reads; a new kind also needs a renderer in `client/render.ts`.
 */
export const DASHBOARD_PANELS: PanelDefinition[] = [
  {
    id: 'freshness',
    title: 'Data freshness',
    subtitle: 'latest data in each layer',
    kind: 'stats',
    width: 2,
    // From the lake's listing (lake_objects): counting the layers' rows opened every object, 3.6 s
    // of the page over a year of half-hourly snapshots.
    sql: `
      SELECT 'bronze' AS label, strftime(max(collected_at), '%Y-%m-%d %H:%M UTC') AS value,
             format('{:,} snapshots, {:,.1f} MB', count(*), sum(bytes) / 1e6) AS detail FROM lake_objects WHERE view = 'bronze_streams'
      UNION ALL SELECT 'silver', strftime(max(collected_at), '%Y-%m-%d %H:%M UTC'),
             format('{:,} snapshots, {:,.1f} MB', count(*), sum(bytes) / 1e6) FROM lake_objects WHERE view = 'silver_streams'
      UNION ALL SELECT 'gold', CAST(max(dt) AS VARCHAR), format('{:,} day(s) of aggregates', count(*)) FROM lake_objects WHERE view = 'gold_streamers_diario'
      UNION ALL SELECT 'real time', strftime(CAST(newest AS TIMESTAMP), '%Y-%m-%d %H:%M UTC'),
             format('{:,} channel keys', channels) FROM ${REALTIME_FIGURES_TABLE}
      UNION ALL SELECT 'quarantine', CAST(count(*) AS VARCHAR), 'records rejected, with a reason' FROM quarantine_streams`,
  },
  {
    id: 'hours-by-category',
    title: 'Hours watched by category',
    subtitle: 'estimated hours per local hour (pipeline time zone), top 8 categories, last 7 days',
    kind: 'series',
    unit: 'hours',
    width: 2,
    // Gold's estimate across snapshots, per category, language and hour (gold_melhores_horarios):
    // silver's per-sample hours tile a day only while the interval stays the same, and where it
    // changed (30 → 15 → 60 min) they counted hours twice or not at all, by up to 80 % an hour.
    // That table keeps a category's hours only in the hours one of its samples lies in: a tail
    // after the last sample, in an hour without one, is left out (1-3 % of an hour where the
    // interval changed, nothing on a steady schedule).
    // Summed per hour and category before the top 8 are picked, in exact decimals: a double sum
    // depends on the order the threads add in, and its last digit flipped from one load of the
    // page to the next. Ordered by date and hour, not by the year-less label, which put 01-01
    // before 12-31. An hour with no hours watched in any category holds only the newest
    // snapshot, taken as it began, whose airtime the next snapshot adds: it has no figure yet
    // (a gap, as in a channel's heat-map), where 0 drew every category falling to nothing.
    sql: `
      WITH recent AS (
        SELECT data, hora_dia, nome_categoria, horas_assistidas FROM gold_melhores_horarios
        WHERE data > (SELECT max(data) FROM gold_melhores_horarios) - INTERVAL 7 DAY),
      hourly AS (
        SELECT data, hora_dia, nome_categoria,
               CAST(sum(CAST(horas_assistidas AS DECIMAL(38, 9))) AS DOUBLE) AS horas,
               sum(sum(horas_assistidas)) OVER (PARTITION BY data, hora_dia) > 0 AS aired
        FROM recent GROUP BY 1, 2, 3),
      top AS (SELECT nome_categoria FROM hourly GROUP BY 1 ORDER BY sum(horas) DESC LIMIT 8)
      SELECT format('{} {:02d}:00', strftime(data, '%m-%d'), hora_dia) AS x, nome_categoria AS series,
             CASE WHEN aired THEN round(horas, 1) END AS y
      FROM hourly WHERE nome_categoria IN (SELECT nome_categoria FROM top)
      ORDER BY data, hora_dia, series`,
  },
  {
    id: 'top-streamers-hours',
    title: 'Top channels by hours watched',
    subtitle: 'all days in the lake',
    kind: 'bar',
    unit: 'hours',
    sql: `
      SELECT nome_streamer AS label, round(sum(horas_assistidas), 1) AS value
      FROM gold_streamers_diario GROUP BY 1 ORDER BY 2 DESC LIMIT 15`,
  },
  {
    id: 'top-streamers-average',
    title: 'Top channels by average viewers',
    subtitle: 'hours watched × 60 / minutes streamed, channels live at least 1 hour',
    kind: 'bar',
    unit: 'viewers',
    sql: `
      SELECT nome_streamer AS label, round(sum(horas_assistidas) * 60 / sum(minutos_transmitidos)) AS value
      FROM gold_streamers_diario GROUP BY 1 HAVING sum(minutos_transmitidos) >= 60 ORDER BY 2 DESC LIMIT 15`,
  },
  {
    id: 'language-by-period',
    title: 'Audience by language and period of the day',
    subtitle: 'hours watched, pipeline time zone',
    kind: 'stacked',
    unit: 'hours',
    sql: `
      SELECT idioma AS x, periodo_dia AS series, round(sum(horas_assistidas), 1) AS y
      FROM gold_idiomas_periodo GROUP BY 1, 2
      ORDER BY 1, list_position(['Dawn', 'Morning', 'Afternoon', 'Night'], periodo_dia)`,
  },
  {
    id: 'content-type-share',
    title: 'Game vs non-game',
    subtitle: 'share of hours watched',
    kind: 'doughnut',
    unit: 'hours',
    sql: `
      SELECT tipo_conteudo AS label, round(sum(horas_assistidas), 1) AS value
      FROM gold_categorias_diario GROUP BY 1 ORDER BY 1`,
  },
  {
    id: 'audience-segments',
    title: 'Audience segments',
    // A segment's hours over the minutes its channels streamed: the audience of one of its live
    // channels, not the segment's whole audience.
    subtitle: 'average viewers per live channel (hours watched × 60 ÷ minutes streamed) by language × content type × period of the day',
    // Side by side: averages of different periods do not add up.
    kind: 'grouped',
    unit: 'viewers per channel',
    width: 2,
    sql: `
      SELECT idioma || ' · ' || tipo_conteudo AS x, periodo_dia AS series,
             round(sum(horas_assistidas) * 60 / nullif(sum(minutos_transmitidos), 0)) AS y
      FROM gold_idiomas_periodo GROUP BY 1, 2
      ORDER BY 1, list_position(['Dawn', 'Morning', 'Afternoon', 'Night'], periodo_dia)`,
  },
  risingPanel('categoria'),
  risingPanel('streamer'),
  {
    id: 'best-times',
    title: 'Best times to stream',
    subtitle: 'viewers per live channel (audience ÷ competition) by hour of the day, top 10 categories; deeper purple = less crowded audience',
    kind: 'heatmap',
    unit: 'viewers per channel',
    width: 2,
    // Each day's hour weighs the same, as in best_times: weighed by its snapshots, a day collected
    // every 10 minutes would count three times one collected every 30.
    sql: `
      WITH top AS (SELECT nome_categoria FROM gold_melhores_horarios GROUP BY 1 ORDER BY sum(horas_assistidas) DESC LIMIT 10)
      SELECT lpad(CAST(hora_dia AS VARCHAR), 2, '0') || 'h' AS x, nome_categoria AS series,
             round(sum(espectadores_medios) / nullif(sum(canais_ao_vivo), 0), 1) AS y
      FROM gold_melhores_horarios WHERE nome_categoria IN (SELECT nome_categoria FROM top)
      GROUP BY hora_dia, nome_categoria ORDER BY hora_dia, nome_categoria`,
  },
  {
    id: 'live-now-chart',
    title: 'Channels live now',
    subtitle: 'viewers in the latest snapshot of the real-time table',
    kind: 'bar',
    unit: 'viewers',
    sql: `SELECT channel AS label, viewers AS value FROM ${LIVE_NOW_TABLE} ORDER BY position LIMIT 15`,
  },
  {
    id: 'live-now',
    title: 'Live now: details',
    subtitle: 'top 20 channels of the latest snapshot',
    kind: 'table',
    sql: `SELECT channel, category, language, viewers, title FROM ${LIVE_NOW_TABLE} ORDER BY position`,
  },
  {
    id: 'alerts',
    title: 'Real-time alerts',
    subtitle: 'the newest 20 alerts raised by the consumer (rules of ALERT_RULES_FILE or ALERT_RULES)',
    kind: 'table',
    width: 2,
    sql: `
      SELECT strftime("timestamp", '%Y-%m-%d %H:%M UTC') AS collected, rule, type,
             coalesce(nome_streamer, nome_categoria) AS subject, espectadores AS viewers, anterior AS before, message
      FROM alerts ORDER BY "timestamp" DESC, key LIMIT 20`,
  },
];
