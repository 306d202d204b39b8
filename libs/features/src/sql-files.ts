import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Folders of SQL text this package ships; a bundle must copy them beside its entry file. */
const SQL_FOLDERS = ['models', 'macros', 'queries'] as const;
export type SqlFolder = (typeof SQL_FOLDERS)[number];

/** Model names, one `.sql` file each under `models/`. */
export const MODEL_NAMES = [
  'silver_streams',
  'gold_streams_diario',
  'gold_streamers_diario',
  'gold_canais_hora',
  'gold_categorias_diario',
  'gold_categorias_canais',
  'gold_idiomas_periodo',
  'gold_tendencias_diario',
  'gold_melhores_horarios',
] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

const cache = new Map<string, string>();
let root: string | undefined;

/**
 * The folder holding models/, macros/ and queries/: `FEATURES_SQL_DIR` when set; else the
 * package root when running from sources (src/..); else the folder of the running file, where a
 * Lambda bundle ships the folders it needs beside its entry file (every one ships macros/: the
 * extract and publish functions read the local-time macros, the transforms the models too).
 */
function sqlRoot(): string {
  if (root) return root;
  const candidates = [
    process.env.FEATURES_SQL_DIR,
    fileURLToPath(new URL('..', import.meta.url)),
    fileURLToPath(new URL('.', import.meta.url)),
  ].filter((candidate): candidate is string => Boolean(candidate));
  root = candidates.find((candidate) => existsSync(`${candidate}/macros/features.sql`));
  if (!root) throw new Error(`SQL files not found (macros/features.sql); looked in: ${candidates.join(', ')}`);
  return root;
}

/**
 * Reads one SQL (or JSON) file of the package, e.g. `readSqlFile('models', 'silver_streams.sql')`.
 * Files are read once and cached.
 *
 * @example
 * const sql = readSqlFile('macros', 'features.sql');
 */
export function readSqlFile(folder: SqlFolder, file: string): string {
  const path = `${sqlRoot()}/${folder}/${file}`;
  let text = cache.get(path);
  if (text === undefined) {
    text = readFileSync(path, 'utf8');
    cache.set(path, text);
  }
  return text;
}

/**
 * The SQL of one model: a single SELECT (a CTE pipeline) over the relation the model names
 * as its source (`bronze_source` or `silver_streams`).
 *
 * @example
 * const select = modelSql('gold_streamers_diario');
 */
export function modelSql(name: ModelName): string {
  return readSqlFile('models', `${name}.sql`);
}

/**
 * File names in one SQL folder, sorted.
 *
 * @example
 * listSqlFiles('queries'); // ['audience_by_language_and_period.sql', ...]
 */
export function listSqlFiles(folder: SqlFolder): string[] {
  return readdirSync(`${sqlRoot()}/${folder}`)
    .filter((file) => file.endsWith('.sql'))
    .sort();
}
