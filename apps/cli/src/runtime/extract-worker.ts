import { parentPort, workerData } from 'node:worker_threads';
import { DuckDbEngine } from '@twitch-pipeline/duckdb';
import { type ExtractSummary, extractSnapshot } from '@twitch-pipeline/pipeline';
import type { PipelineConfig } from '@twitch-pipeline/schemas';
import { LocalObjectStore } from '@twitch-pipeline/storage';
import { HelixClient } from '@twitch-pipeline/twitch';
import { type SimulatorSettings, startSimulator } from './source';

/** What an extract worker is started with (structured-clone safe). */
export interface ExtractWorkerData {
  entry: string;
  settings: SimulatorSettings;
  config: Pick<PipelineConfig, 'languages' | 'maxStreamsPerLanguage' | 'intervalMinutes' | 'timeZone'>;
  lakeDir: string;
}

/** A request to the worker: extract the snapshot of `collectedAt` (ISO-8601), or finish. */
export type ExtractRequest = { id: number; collectedAt: string } | { close: true };

/** The worker's answer to one {@link ExtractRequest}. */
export type ExtractReply = { id: number; summary: ExtractSummary } | { id: number; error: string };

const data = workerData as ExtractWorkerData;
const port = parentPort;
if (!port) throw new Error('extract-worker runs only as a worker thread');

// The worker's own simulator, seeded like the main thread's: a slot's live list is a function
// of the seed and the virtual time alone, so either simulator serves the same snapshot.
const simulator = await startSimulator(data.settings);
const client = new HelixClient({
  apiUrl: simulator.apiUrl,
  authUrl: simulator.authUrl,
  clientId: simulator.credentials.clientId,
  clientSecret: simulator.credentials.clientSecret,
  fetch: simulator.fetch,
});
const store = new LocalObjectStore(data.lakeDir);
const engine = await DuckDbEngine.open();

// One request at a time, in arrival order: the simulator's clock is shared by the whole crawl.
let queue: Promise<void> = Promise.resolve();
port.on('message', (request: ExtractRequest) => {
  queue = queue.then(async () => {
    if ('close' in request) {
      await engine.close();
      await simulator.close();
      port.close();
      return;
    }
    const collectedAt = new Date(request.collectedAt);
    simulator.clock.set(collectedAt);
    try {
      const summary = await extractSnapshot({ source: client, store, config: data.config, collectedAt, backfill: true, engine });
      port.postMessage({ id: request.id, summary } satisfies ExtractReply);
    } catch (error) {
      port.postMessage({ id: request.id, error: (error as Error).message } satisfies ExtractReply);
    }
  });
});
