import { DuckDbEngine, parquetFileProblem } from '@twitch-pipeline/duckdb';
import type { LocalObjectStore, ObjectInfo } from '@twitch-pipeline/storage';

/** A lake object a view leaves out, and why. */
export interface BadLakeObject {
  key: string;
  reason: string;
}

interface Verdict {
  size: number;
  modifiedMs: number;
  problem: string | undefined;
}

/** Verdicts by file, kept for the life of the process (a served dashboard checks each file once). */
const verdicts = new Map<string, Verdict>();

/**
 * Splits lake objects into readable Parquet files and bad ones (empty, truncated, torn, not
 * Parquet), so a view can be built over the good files and the bad ones named. Each file's
 * verdict is kept by path and reused while its size and modification time stay the same, so a
 * big lake costs one footer read per new or changed object.
 *
 * @example
 * const { paths, bad } = await checkLakeObjects(store, await store.list('silver/streams/'));
 */
export async function checkLakeObjects(store: LocalObjectStore, objects: readonly ObjectInfo[]): Promise<{ paths: string[]; bad: BadLakeObject[] }> {
  const paths: string[] = [];
  const bad: BadLakeObject[] = [];
  let engine: DuckDbEngine | undefined;
  try {
    for (const object of objects) {
      const path = store.pathOf(object.key);
      const modifiedMs = object.lastModified.getTime();
      let verdict = verdicts.get(path);
      if (!verdict || verdict.size !== object.size || verdict.modifiedMs !== modifiedMs) {
        engine ??= await DuckDbEngine.open({ threads: 1 });
        verdict = { size: object.size, modifiedMs, problem: await parquetFileProblem(path, engine) };
        verdicts.set(path, verdict);
      }
      if (verdict.problem) bad.push({ key: object.key, reason: verdict.problem });
      else paths.push(path);
    }
  } finally {
    await engine?.close();
  }
  return { paths, bad };
}

/**
 * One line per bad object, for stderr and `status`.
 *
 * @example
 * process.stderr.write(describeBadObjects(session.badObjects));
 */
export function describeBadObjects(bad: readonly BadLakeObject[]): string {
  if (bad.length === 0) return '';
  const lines = bad.map((object) => `  ${object.key}: ${object.reason}`);
  return `warning: ${bad.length} unreadable lake object(s) left out of the views (the next cycle rebuilds silver and gold from bronze; bronze is moved to quarantine/corrupt/):\n${lines.join('\n')}\n`;
}
