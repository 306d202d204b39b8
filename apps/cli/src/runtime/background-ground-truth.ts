import type { Exposure, GroundTruthQuery } from '@twitch-pipeline/helix-simulator';
import type { GroundTruthReply, GroundTruthWorkerData } from './ground-truth-worker';
import type { SimulatorSettings } from './source';
import { startTypeScriptWorker } from './typescript-worker';

const ENTRY = new URL('./ground-truth-worker.ts', import.meta.url);

/**
 * The simulator's true totals over `query`, computed on a worker thread by a simulator seeded
 * like the one that served the snapshots, so that the main thread goes on meanwhile (the
 * demo asks for them once its extracts are done, while silver and gold run in DuckDB).
 *
 * @example
 * const totals = await backgroundGroundTruth({ channels: 10_000, seed: 42 }, { from, to, languages: ['pt'] });
 * console.log(totals.watchHours);
 */
export function backgroundGroundTruth(settings: SimulatorSettings, query: GroundTruthQuery): Promise<Exposure> {
  const workerData: Omit<GroundTruthWorkerData, 'entry'> = {
    settings,
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    ...(query.languages ? { languages: query.languages } : {}),
  };
  return new Promise<Exposure>((resolve, reject) => {
    const worker = startTypeScriptWorker(ENTRY, workerData);
    worker.once('message', (reply: GroundTruthReply) => {
      if ('totals' in reply) resolve(reply.totals);
      else reject(new Error(`ground truth failed: ${reply.error}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the ground-truth worker stopped (exit code ${code}) before it answered`)));
  });
}
