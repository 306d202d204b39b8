import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbEngine, type QueryParams, type Row, sqlString } from '@twitch-pipeline/duckdb';
import type { GoldCategoriasDiarioRow, GoldStreamersDiarioRow, SilverStreamRow } from '@twitch-pipeline/schemas';
import type { z } from 'zod';
import { installFeatureMacros, readSqlFile, type SavedQuery, savedQueries, savedQueryValues } from '../../src/index';

/** Measures of a gold row from hours watched and minutes streamed; the rest are plausible fillers. */
function measures(horas: number, minutos: number) {
  return {
    total_streams: 1,
    minutos_transmitidos: minutos,
    horas_assistidas: horas,
    media_espectadores: (horas * 60) / minutos,
    pico_espectadores: Math.ceil((horas * 60) / minutos),
    amostras: Math.max(1, Math.round(minutos / 30)),
  };
}

export function categoryDay(data: string, nome_categoria: string, horas: number, minutos: number): GoldCategoriasDiarioRow {
  return { data, nome_categoria, tipo_conteudo: 'Game', ...measures(horas, minutos) };
}

/** A channel's day of one broadcast sampled that day; `continued` when the day before sampled it too. */
export function streamerDay(data: string, nome_streamer: string, horas: number, minutos: number, continued = false): GoldStreamersDiarioRow {
  return { data, nome_streamer, ...measures(horas, minutos), transmissoes_amostradas: 1, transmissoes_continuadas: continued ? 1 : 0 };
}

/**
 * One silver row of a 30-minute sample; only what the analytics models read is set by tests.
 *
 * @example
 * silverSample({ id_snapshot: 'S1', hora_dia: 21, nome_categoria: 'Chess', idioma: 'pt', nome_streamer: 'a', espectadores: 100 });
 */
export function silverSample(
  fields: Pick<SilverStreamRow, 'id_snapshot' | 'hora_dia' | 'nome_categoria' | 'idioma' | 'nome_streamer' | 'espectadores'>,
): SilverStreamRow {
  const periodo = fields.hora_dia < 6 ? 'Dawn' : fields.hora_dia < 12 ? 'Morning' : fields.hora_dia < 18 ? 'Afternoon' : 'Night';
  return {
    id_stream: `${fields.nome_streamer}-1`,
    id_streamer: `${fields.nome_streamer}-id`,
    nome_exibicao: fields.nome_streamer,
    id_categoria: '1',
    tipo_conteudo: 'Game',
    titulo: '',
    tags: [],
    conteudo_adulto: false,
    iniciado_em: '2026-11-20T10:00:00Z',
    coletado_em: '2026-11-20T23:00:00Z',
    duracao_minutos: 600,
    intervalo_coleta_minutos: 30,
    fuso_horario: 'UTC',
    periodo_dia: periodo,
    intervalo_minutos: 30,
    horas_assistidas: (fields.espectadores * 30) / 60,
    horas_assistidas_total: (fields.espectadores * 600) / 60,
    data: '2026-11-20',
    ...fields,
  };
}

/** A DuckDB engine with the feature macros, and a scratch folder for Parquet files. */
export class AnalyticsSandbox {
  private constructor(
    readonly engine: DuckDbEngine,
    private readonly directory: string,
  ) {}

  static async open(): Promise<AnalyticsSandbox> {
    const engine = await DuckDbEngine.open({ threads: 1 });
    await installFeatureMacros(engine);
    return new AnalyticsSandbox(engine, await mkdtemp(join(tmpdir(), 'analytics-')));
  }

  /**
   * Writes rows to a real Parquet file and exposes it as a view, as the gold runner does; a table
   * with a `data` column also gets the lake's `dt` partition column (the row's date), which the
   * saved queries filter on.
   */
  async view(name: string, rows: readonly Row[], schema: z.ZodObject<z.ZodRawShape>): Promise<void> {
    const path = join(this.directory, `${name}.parquet`);
    await this.engine.writeRowsToParquet(rows, schema, path);
    const partition = 'data' in schema.shape ? ', CAST(data AS DATE) AS dt' : '';
    await this.engine.run(`CREATE OR REPLACE VIEW ${name} AS SELECT *${partition} FROM read_parquet(${sqlString(path)})`);
  }

  /** Runs one model file, ordered by its grain, with dates as `YYYY-MM-DD` text. */
  async model(file: string, params: QueryParams | undefined, orderBy: string): Promise<Row[]> {
    const rows = await this.engine.all(`SELECT * FROM (${readSqlFile('models', file)}) ORDER BY ${orderBy}`, params);
    return rows.map(plainDates);
  }

  /** Runs one model file into a table of that name, e.g. for `checkModelRules`. */
  async materialize(table: string, file: string, params?: QueryParams): Promise<string> {
    await this.engine.run(`CREATE OR REPLACE TABLE ${table} AS ${readSqlFile('models', file)}`, params);
    return table;
  }

  /** Builds int_canais_por_coleta into `table` as the gold step does: once per window of local hours. */
  async channelsPerSnapshot(table: string, windows: [number, number][]): Promise<Row[]> {
    for (const [index, [hora_de, hora_ate]] of windows.entries()) {
      const into = index === 0 ? `CREATE OR REPLACE TABLE ${table} AS` : `INSERT INTO ${table}`;
      await this.engine.run(`${into} ${readSqlFile('models', 'int_canais_por_coleta.sql')}`, { hora_de, hora_ate });
    }
    return this.engine.all(
      `SELECT id_snapshot, hora_dia, periodo_dia, nome_categoria, idioma, canais, CAST(espectadores AS DOUBLE) AS espectadores FROM ${table} ORDER BY ALL`,
    );
  }

  /** Runs one saved query by name with its parameters bound positionally, like the CLI and Athena. */
  async saved(name: string, given: Record<string, string> = {}): Promise<Row[]> {
    const query = savedQueries().find((candidate: SavedQuery) => candidate.name === name);
    if (!query) throw new Error(`no saved query ${name}`);
    const values = savedQueryValues(query, given);
    const positional = Object.fromEntries(values.map((value, index) => [String(index + 1), value]));
    return (await this.engine.all(query.sql, positional)).map(plainDates);
  }

  async close(): Promise<void> {
    await this.engine.close();
    await rm(this.directory, { recursive: true, force: true });
  }
}

function plainDates(row: Row): Row {
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [key, value instanceof Date ? value.toISOString().slice(0, 10) : value]),
  );
}

/** Rounds every number of a row, so hand-written expectations are compared without float noise. */
export function rounded(row: Row, digits = 6): Row {
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [key, typeof value === 'number' ? Number(value.toFixed(digits)) : value]),
  );
}
