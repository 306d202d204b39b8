import type { DashboardData, PanelData } from '../dashboard/model';
import { clientBundle, embeddedJson, escapeHtml, NO_SCRIPT, STYLE } from '../dashboard/page';
import type { CategoryProfile } from './category-profile';
import type { ChannelProfile } from './channel-profile';
import type { ProfileRow } from './profile-inputs';
import { WEEKDAYS } from './profile-text';

type Panel = Omit<PanelData, 'columns' | 'rows'>;

function panel(definition: Panel, columns: string[], rows: unknown[][]): PanelData {
  return { ...definition, columns, rows };
}

function stat(label: string, value: unknown, detail = ''): unknown[] {
  return [label, value ?? null, detail];
}

// The terminal's grouping (profile-text): a rank inside a sentence is text, which the page's renderers print as it is.
const count = new Intl.NumberFormat('en-US');

function hourLabel(hour: unknown): string {
  return `${String(hour).padStart(2, '0')}h`;
}

/**
 * Every weekday × hour cell, hour-major so the grid's columns run 00h → 23h: 0 where the channel
 * was never live, null (drawn blank) where it has no airtime yet: its only sample is the newest
 * snapshot's, at the start of the hour, and shaded as 0 a channel seen there with thousands of
 * viewers would look unwatched.
 */
function heatmapRows(rows: ProfileRow[]): unknown[][] {
  const cells = new Map(rows.map((row) => [`${row.dia_semana}:${row.hora_dia}`, row.media_espectadores === null || row.media_espectadores === undefined ? null : Number(row.media_espectadores)]));
  const grid: unknown[][] = [];
  for (let hour = 0; hour < 24; hour += 1) {
    for (const [index, name] of WEEKDAYS.entries()) {
      const key = `${index + 1}:${hour}`;
      grid.push([hourLabel(hour), name, cells.has(key) ? cells.get(key) : 0]);
    }
  }
  return grid;
}

function tableOf(rows: ProfileRow[], columns: [string, string][]): [string[], unknown[][]] {
  return [columns.map(([, label]) => label), rows.map((row) => columns.map(([key]) => row[key] ?? null))];
}

/**
 * The panels of a channel's profile page, drawn by the dashboard's renderers.
 *
 * @example
 * const panels = channelPanels(await channelProfile(session, 'gaules', {}));
 */
export function channelPanels(profile: ChannelProfile): PanelData[] {
  const { summary, lastSample } = profile;
  const stats = [
    stat('hours streamed', summary.horas_transmitidas, `${summary.dias_ao_vivo} day(s) live`),
    stat('hours watched', summary.horas_assistidas, 'time-weighted estimate'),
    stat('average viewers', summary.media_espectadores, 'hours watched × 60 ÷ minutes streamed'),
    stat('peak viewers', summary.pico_espectadores, 'highest sample'),
    stat('broadcasts', summary.transmissoes, 'sampled in the range, one across midnight once'),
    profile.rank
      ? stat(
          `rank in ${profile.rank.idioma}`,
          `#${count.format(Number(profile.rank.posicao_horas_assistidas))} of ${count.format(Number(profile.rank.canais))}`,
          `by hours watched; #${count.format(Number(profile.rank.posicao_media_espectadores))} by average viewers`,
        )
      : stat('rank', null, 'no language'),
    stat('languages', profile.languages.map((row) => row.idioma).join(' · '), 'main language first'),
    lastSample
      ? stat(
          'last real-time sample',
          lastSample.espectadores,
          // Each name isolated: a right-to-left category beside a title would split the title around it.
          `${String(lastSample.coletado_em).slice(0, 16).replace('T', ' ')} UTC · \u2068${lastSample.nome_categoria}\u2069 · \u2068${lastSample.titulo}\u2069`,
        )
      : stat('last real-time sample', null, 'none in the real-time table'),
  ];
  const categoryTable = tableOf(profile.categories, [
    ['nome_categoria', 'category'],
    ['tipo_conteudo', 'type'],
    ['horas_transmitidas', 'hours streamed'],
    ['pct_tempo_no_ar', '% airtime'],
    ['horas_assistidas', 'hours watched'],
    ['pct_horas_assistidas', '% watched'],
    ['media_espectadores', 'avg viewers'],
  ]);
  return [
    panel({ id: 'summary', title: 'Summary', subtitle: `${profile.range.from} → ${profile.range.to}`, kind: 'stats', width: 2 }, ['label', 'value', 'detail'], stats),
    panel(
      { id: 'category-airtime', title: 'Categories: airtime', subtitle: 'hours streamed per category', kind: 'doughnut', unit: 'hours' },
      ['label', 'value'],
      profile.categories.map((row) => [row.nome_categoria, row.horas_transmitidas]),
    ),
    panel(
      { id: 'category-watched', title: 'Categories: hours watched', subtitle: 'time-weighted hours watched per category', kind: 'bar', unit: 'hours' },
      ['label', 'value'],
      profile.categories.map((row) => [row.nome_categoria, row.horas_assistidas]),
    ),
    panel(
      {
        id: 'heatmap',
        title: 'When live and how many watch',
        subtitle: 'average viewers by weekday × hour of the day (pipeline time zone); 0 = not live',
        kind: 'heatmap',
        unit: 'average viewers',
        width: 2,
      },
      ['x', 'series', 'y'],
      heatmapRows(profile.heatmap),
    ),
    panel(
      { id: 'trend', title: 'Average viewers by day', subtitle: 'time-weighted average and peak viewers of each day live', kind: 'series', unit: 'viewers', width: 2 },
      ['x', 'series', 'y'],
      profile.trend.flatMap((row) => [
        [row.data, 'average viewers', row.media_espectadores],
        [row.data, 'peak viewers', row.pico_espectadores],
      ]),
    ),
    panel({ id: 'categories', title: 'Categories played', subtitle: 'share of airtime and of hours watched', kind: 'table', width: 2 }, ...categoryTable),
  ];
}

/**
 * The panels of a category's profile page, drawn by the dashboard's renderers.
 *
 * @example
 * const panels = categoryPanels(await categoryProfile(session, 'Just Chatting', {}));
 */
function categoryPanels(profile: CategoryProfile): PanelData[] {
  const { summary } = profile;
  const stats = [
    stat('hours watched', summary.horas_assistidas, 'time-weighted estimate'),
    stat('hours streamed', summary.horas_transmitidas, `${summary.dias} day(s)`),
    // Its minutes streamed add up every channel's: the audience of one live channel, not of the category.
    stat('average viewers per channel', summary.media_espectadores, 'hours watched × 60 ÷ minutes its channels streamed'),
    stat('peak of one channel', summary.pico_espectadores, 'highest sample of a channel'),
    stat('channels', summary.canais, 'that streamed it'),
    stat('best hours', profile.bestHours.map((row) => hourLabel(row.hora_dia)).join(' · '), 'most viewers per live channel'),
  ];
  const byHour = (measure: string, series: string) => profile.hours.map((row) => [hourLabel(row.hora_dia), series, row[measure]]);
  return [
    panel({ id: 'summary', title: 'Summary', subtitle: `${profile.range.from} → ${profile.range.to}`, kind: 'stats', width: 2 }, ['label', 'value', 'detail'], stats),
    panel(
      { id: 'channels-per-hour', title: 'Channels live by hour', subtitle: 'average channels live (the competition), pipeline time zone', kind: 'series', unit: 'channels' },
      ['x', 'series', 'y'],
      byHour('canais_ao_vivo', 'channels live'),
    ),
    panel(
      { id: 'saturation', title: 'Viewers per channel by hour', subtitle: 'audience ÷ competition: higher = less crowded', kind: 'series', unit: 'viewers per channel' },
      ['x', 'series', 'y'],
      byHour('espectadores_por_canal', 'viewers per channel'),
    ),
    panel(
      { id: 'top-channels', title: 'Top channels', subtitle: 'hours watched in the category', kind: 'bar', unit: 'hours' },
      ['label', 'value'],
      profile.topChannels.map((row) => [row.nome_streamer, row.horas_assistidas]),
    ),
    panel(
      { id: 'languages', title: 'Languages', subtitle: 'share of hours watched', kind: 'doughnut', unit: 'hours' },
      ['label', 'value'],
      profile.languages.map((row) => [row.idioma, row.horas_assistidas]),
    ),
    panel(
      { id: 'trend', title: 'Hours watched by day', subtitle: 'time-weighted hours watched and hours streamed', kind: 'series', unit: 'hours', width: 2 },
      ['x', 'series', 'y'],
      profile.trend.flatMap((row) => [
        [row.data, 'hours watched', row.horas_assistidas],
        [row.data, 'hours streamed', row.horas_transmitidas],
      ]),
    ),
    panel(
      { id: 'best-hours', title: 'Best hours to stream it', subtitle: 'the hours with the most viewers per live channel', kind: 'table' },
      ...tableOf(profile.bestHours, [
        ['hora_dia', 'hour'],
        ['espectadores_por_canal', 'viewers per channel'],
        ['canais_ao_vivo', 'channels live'],
        ['espectadores_medios', 'viewers'],
      ]),
    ),
    panel(
      { id: 'top-channels-table', title: 'Top channels: details', subtitle: 'the 20 channels with the most hours watched', kind: 'table' },
      ...tableOf(profile.topChannels, [
        ['nome_streamer', 'channel'],
        ['horas_assistidas', 'hours watched'],
        ['pct_horas_assistidas', '% of category'],
        ['media_espectadores', 'avg viewers'],
        ['pico_espectadores', 'peak'],
      ]),
    ),
  ];
}

/**
 * A self-contained profile page: the dashboard's styles and script (Chart.js bundled in) with
 * the profile's panels embedded as JSON; names and titles only ever reach the page as text.
 *
 * @example
 * await writeFile('gaules.html', await profileHtml(profile, { timeZone: 'America/Sao_Paulo' }));
 */
export async function profileHtml(profile: ChannelProfile | CategoryProfile, options: { timeZone: string; now?: Date }): Promise<string> {
  const subject = profile.kind === 'channel' ? profile.login : profile.name;
  const heading = `${profile.kind === 'channel' ? 'Channel' : 'Category'} ${subject}`;
  const data: DashboardData = {
    generatedAt: (options.now ?? new Date()).toISOString(),
    dataDir: '',
    timeZone: options.timeZone,
    panels: profile.kind === 'channel' ? channelPanels(profile) : categoryPanels(profile),
  };
  const script = await clientBundle();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(heading)} — Twitch streams pipeline</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1><span>▶</span> <bdi id="profile-subject">${escapeHtml(heading)}</bdi></h1>
  <p>${escapeHtml(profile.range.from)} → ${escapeHtml(profile.range.to)} · generated ${escapeHtml(data.generatedAt.replace('T', ' ').slice(0, 19))} UTC · dates in ${escapeHtml(options.timeZone)}</p>
</header>
<main id="panels">${NO_SCRIPT}</main>
<script type="application/json" id="dashboard-data">${embeddedJson({ ...data, profile })}</script>
<script>${script.replace(/<\/script/gi, '<\\/script')}</script>
</body>
</html>
`;
}
