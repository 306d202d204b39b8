import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { ExtractSummary } from '@twitch-pipeline/pipeline';
import { CycleInterrupted, type StopRequest } from './cycle';
import type { ExtractReply, ExtractRequest, ExtractWorkerData } from './extract-worker';
import { startTypeScriptWorker } from './typescript-worker';

/** Extracts the snapshot of one slot (on this thread or on a worker). */
export type Extractor = (collectedAt: Date) => Promise<ExtractSummary>;

/**
 * Extracts worth running beside the main thread's: one per spare core, at most three.
 *
 * @example
 * const workers = spareCores(); // 1 on a 2-core machine
 */
export function spareCores(): number {
  return Math.max(0, Math.min(3, availableParallelism() - 1));
}

/** How long a closing worker may take to end by itself. */
const CLOSE_TIMEOUT_MS = 10_000;

const ENTRY = new URL('./extract-worker.ts', import.meta.url);

/**
 * One worker thread that extracts simulated snapshots with its own Helix simulator, so a
 * backfill uses a second core: each call runs the same `extractSnapshot` step as the main
 * thread, against the same lake.
 *
 * @example
 * const worker = new ExtractWorker({ settings, config, lakeDir: runtime.store.root });
 * const summary = await worker.extract(new Date('2026-11-29T12:00:00Z'));
 * await worker.close();
 */
export class ExtractWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (summary: ExtractSummary) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(options: Omit<ExtractWorkerData, 'entry'>) {
    this.worker = startTypeScriptWorker(ENTRY, options);
    this.worker.on('message', (reply: ExtractReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if ('summary' in reply) waiting?.resolve(reply.summary);
      else waiting?.reject(new Error(reply.error));
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the extract worker stopped (exit code ${code})`)));
  }

  /** Extracts the snapshot of `collectedAt` in the worker; rejects with the step's error. */
  extract(collectedAt: Date): Promise<ExtractSummary> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<ExtractSummary>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, collectedAt: collectedAt.toISOString() } satisfies ExtractRequest);
    });
  }

  /** Closes the worker's engine and simulator and waits for it to end; call once no extract is pending. */
  async close(): Promise<void> {
    if (this.failure) {
      await this.worker.terminate();
      return;
    }
    this.failure = new Error('the extract worker is closed');
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage({ close: true } satisfies ExtractRequest);
    // A worker that does not end on its own (something still holds its event loop) is stopped.
    const stuck = setTimeout(() => void this.worker.terminate(), CLOSE_TIMEOUT_MS);
    await exited;
    clearTimeout(stuck);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

interface Outcome {
  promise: Promise<ExtractSummary>;
  resolve(summary: ExtractSummary): void;
  reject(error: unknown): void;
}

function outcome(): Outcome {
  let resolve!: Outcome['resolve'];
  let reject!: Outcome['reject'];
  const promise = new Promise<ExtractSummary>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  // Awaited later, in slot order: a rejection must not count as unhandled meanwhile.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/**
 * Extracts every slot over several lanes at once (each lane one extract at a time, taking the
 * next slot when free) and yields the summaries in slot order, so whatever follows each
 * extract (publish, progress, the run record) happens in the order a single lane would give.
 * Once a stop is asked for or an extract fails, no lane takes another slot; extracts already
 * running finish first, and a slot never started ends the iteration with {@link CycleInterrupted}.
 * Leaving the loop early waits for the running extracts, so nothing writes after it.
 *
 * @example
 * for await (const summary of extractInOrder(slots, [extractHere, (at) => worker.extract(at)], stop)) {
 *   console.log(summary.snapshotId);
 * }
 */
export async function* extractInOrder(slots: readonly Date[], lanes: readonly Extractor[], stop?: StopRequest): AsyncGenerator<ExtractSummary> {
  const outcomes = slots.map(outcome);
  let taken = 0;
  let halted = false;
  const runLane = async (extract: Extractor): Promise<void> => {
    while (!halted && taken < slots.length && !stop?.stopping) {
      const index = taken++;
      try {
        outcomes[index]!.resolve(await extract(slots[index]!));
      } catch (error) {
        halted = true;
        outcomes[index]!.reject(error);
      }
    }
  };
  const running = Promise.all(lanes.map(runLane)).then(() => {
    // Every slot taken was extracted (a failed one ends the iteration before these are reached).
    const interrupted = new CycleInterrupted('extract', '', taken > 0 ? `${taken} of ${slots.length} snapshots` : undefined);
    for (let index = taken; index < slots.length; index++) outcomes[index]!.reject(interrupted);
  });
  try {
    for (const { promise } of outcomes) yield await promise;
  } finally {
    halted = true;
    await running;
  }
}
