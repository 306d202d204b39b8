import { formatTable, terminalSafe } from '../cli/table';
import type { CategoryProfile } from './category-profile';
import type { ChannelProfile } from './channel-profile';
import type { ProfileRow } from './profile-inputs';

/** Weekday names of `dia_semana` (1 = Monday … 7 = Sunday, ISO). */
export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

const SHADES = ['░', '▒', '▓', '█'];
const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

function figure(value: unknown): string {
  return value === null || value === undefined ? '—' : typeof value === 'number' ? number.format(value) : String(value);
}

/** A title or name from the lake, outside a table: cleaned as a cell is, so that the terminal obeys nothing in it. */
function plain(value: unknown): string {
  return terminalSafe(String(value ?? ''));
}

function table(rows: ProfileRow[], columns: [string, string][]): string {
  if (rows.length === 0) return '  (none)\n';
  return formatTable({ columns: columns.map(([, label]) => label), rows: rows.map((row) => columns.map(([key]) => row[key])) });
}

/**
 * A weekday × hour grid of shaded cells, darker for more average viewers, `·` where the channel
 * was never live or has no airtime yet: a heat-map that fits a terminal.
 *
 * @example
 * heatmapText([{ dia_semana: 1, hora_dia: 20, media_espectadores: 120 }]);
 */
function heatmapText(rows: ProfileRow[]): string {
  // A cell with no minutes on air has no average: its only sample is the newest snapshot's, at the
  // start of the hour, whose airtime the next snapshot adds. Shaded as 0, a channel seen there with
  // thousands of viewers would look nearly unwatched.
  const aired = rows.filter((row) => row.media_espectadores !== null && row.media_espectadores !== undefined);
  const max = Math.max(0, ...aired.map((row) => Number(row.media_espectadores)));
  const cells = new Map(aired.map((row) => [`${row.dia_semana}:${row.hora_dia}`, Number(row.media_espectadores)]));
  const hours = Array.from({ length: 24 }, (_, hour) => hour);
  const lines = [`      ${hours.map((hour) => String(hour).padStart(2, '0')).join(' ')}`];
  for (const [index, name] of WEEKDAYS.entries()) {
    const line = hours.map((hour) => {
      const value = cells.get(`${index + 1}:${hour}`);
      if (value === undefined) return ' ·';
      // Each shade covers up to its legend's figure, that figure included: a cell at exactly a
      // quarter of the top takes the lighter shade, as the legend says.
      const quarter = Math.ceil((max > 0 ? value / max : 0) * SHADES.length) - 1;
      const shade = SHADES[Math.min(SHADES.length - 1, Math.max(0, quarter))]!;
      return shade.repeat(2);
    });
    lines.push(`  ${name} ${line.join(' ')}`);
  }
  lines.push(`  ${SHADES.join(' ')} = up to ${SHADES.map((_, index) => number.format(((index + 1) / SHADES.length) * max)).join(' / ')} average viewers; · = not live`);
  return `${lines.join('\n')}\n`;
}

/**
 * The channel profile as text for a terminal.
 *
 * @example
 * io.out(channelText(await channelProfile(session, 'gaules', {})));
 */
export function channelText(profile: ChannelProfile): string {
  const { summary } = profile;
  const lines = [
    `Channel ${plain(profile.login)} · ${profile.range.from} → ${profile.range.to} · ${figure(summary.dias_ao_vivo)} day(s) live`,
    `  hours streamed ${figure(summary.horas_transmitidas)} · hours watched ${figure(summary.horas_assistidas)} · average viewers ${figure(summary.media_espectadores)} · peak ${figure(summary.pico_espectadores)} · broadcasts ${figure(summary.transmissoes)}`,
  ];
  const { rank } = profile;
  if (rank) {
    lines.push(
      `  rank in "${plain(rank.idioma)}": #${figure(rank.posicao_horas_assistidas)} of ${figure(rank.canais)} by hours watched, #${figure(rank.posicao_media_espectadores)} by average viewers`,
    );
  }
  const languages = profile.languages.map((row) => `${plain(row.idioma)} ${figure(row.pct_horas_assistidas)} %`).join(', ');
  lines.push(`  languages (share of hours watched): ${languages || '—'}`);
  const sample = profile.lastSample;
  lines.push(
    sample
      ? `  last real-time sample: ${String(sample.coletado_em).slice(0, 16).replace('T', ' ')} UTC, ${figure(sample.espectadores)} viewers, ${plain(sample.nome_categoria)} — "${plain(sample.titulo)}"`
      : '  last real-time sample: none (the real-time table keeps items for REALTIME_TTL_HOURS)',
  );
  return [
    `${lines.join('\n')}\n`,
    'Categories',
    table(profile.categories, [
      ['nome_categoria', 'category'],
      ['tipo_conteudo', 'type'],
      ['horas_transmitidas', 'hours streamed'],
      ['pct_tempo_no_ar', '% airtime'],
      ['horas_assistidas', 'hours watched'],
      ['pct_horas_assistidas', '% watched'],
      ['media_espectadores', 'avg viewers'],
    ]),
    'When live: average viewers by weekday × hour (pipeline time zone)',
    heatmapText(profile.heatmap),
    'Average viewers by day',
    table(profile.trend, [
      ['data', 'day'],
      ['media_espectadores', 'avg viewers'],
      ['pico_espectadores', 'peak'],
      ['horas_transmitidas', 'hours streamed'],
      ['horas_assistidas', 'hours watched'],
      ['transmissoes', 'broadcasts'],
    ]),
  ].join('\n');
}

/**
 * The category profile as text for a terminal.
 *
 * @example
 * io.out(categoryText(await categoryProfile(session, 'Just Chatting', {})));
 */
export function categoryText(profile: CategoryProfile): string {
  const { summary } = profile;
  const best = profile.bestHours.map((row) => `${String(row.hora_dia).padStart(2, '0')}h (${figure(row.espectadores_por_canal)})`).join(', ');
  const head = [
    `Category ${plain(profile.name)} (${plain(summary.tipo_conteudo)}) · ${profile.range.from} → ${profile.range.to} · ${figure(summary.dias)} day(s)`,
    `  hours watched ${figure(summary.horas_assistidas)} · hours streamed ${figure(summary.horas_transmitidas)} · average viewers per live channel ${figure(summary.media_espectadores)} · peak of one channel ${figure(summary.pico_espectadores)} · channels ${figure(summary.canais)}`,
    `  best hours to stream it (viewers per live channel): ${best || '—'}`,
  ];
  return [
    `${head.join('\n')}\n`,
    'By hour of the day (pipeline time zone)',
    table(profile.hours, [
      ['hora_dia', 'hour'],
      ['canais_ao_vivo', 'channels live'],
      ['espectadores_medios', 'viewers'],
      ['espectadores_por_canal', 'viewers per channel'],
      ['horas_assistidas', 'hours watched'],
    ]),
    'Top channels',
    table(profile.topChannels, [
      ['nome_streamer', 'channel'],
      ['horas_assistidas', 'hours watched'],
      ['pct_horas_assistidas', '% of category'],
      ['horas_transmitidas', 'hours streamed'],
      ['media_espectadores', 'avg viewers'],
      ['pico_espectadores', 'peak'],
    ]),
    'Languages',
    table(profile.languages, [
      ['idioma', 'language'],
      ['canais', 'channels'],
      ['horas_assistidas', 'hours watched'],
      ['pct_horas_assistidas', '% watched'],
      ['media_espectadores', 'avg viewers'],
    ]),
    'By day',
    table(profile.trend, [
      ['data', 'day'],
      ['horas_assistidas', 'hours watched'],
      ['horas_transmitidas', 'hours streamed'],
      ['media_espectadores', 'avg viewers'],
      ['pico_espectadores', 'peak'],
      ['transmissoes', 'broadcasts'],
    ]),
  ].join('\n');
}
