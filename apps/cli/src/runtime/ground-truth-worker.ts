import { parentPort, workerData } from 'node:worker_threads';
import type { Exposure } from '@twitch-pipeline/helix-simulator';
import { type SimulatorSettings, startSimulator } from './source';

/** What a ground-truth worker is started with (structured-clone safe). */
export interface GroundTruthWorkerData {
  entry: string;
  settings: SimulatorSettings;
  /** ISO-8601 bounds of the interval [from, to). */
  from: string;
  to: string;
  languages?: string[];
}

/** The worker's one message: the totals, or why they could not be computed. */
export type GroundTruthReply = { totals: Exposure } | { error: string };

const data = workerData as GroundTruthWorkerData;
const port = parentPort;
if (!port) throw new Error('ground-truth-worker runs only as a worker thread');

try {
  // Seeded like the simulator that served the snapshots: its truth is a function of the seed alone.
  const simulator = await startSimulator({ ...data.settings, startTime: new Date(data.to) });
  const truth = simulator.groundTruth({ from: new Date(data.from), to: new Date(data.to), ...(data.languages ? { languages: data.languages } : {}) });
  await simulator.close();
  port.postMessage({ totals: { watchHours: truth.watchHours, airtimeMinutes: truth.airtimeMinutes } } satisfies GroundTruthReply);
} catch (error) {
  port.postMessage({ error: (error as Error).message } satisfies GroundTruthReply);
}
