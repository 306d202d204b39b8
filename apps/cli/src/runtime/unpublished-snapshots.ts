import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { publishSnapshot } from '@twitch-pipeline/pipeline';
import { isSnapshotId, LAKE_PREFIXES, parseSnapshotKey, snapshotTime } from '@twitch-pipeline/schemas';
import { namesInFolder, writeFileDurably } from '@twitch-pipeline/storage';
import type { LocalRuntime } from './local-runtime';

/** What {@link publishLeftOver} did with the snapshots earlier runs left unpublished. */
export interface LeftOverPublish {
  snapshots: number;
  events: number;
  messages: number;
  /** Left out: their items would have expired already (or their bronze object is gone). */
  dropped: number;
}

const folderOf = (runtime: LocalRuntime) => join(runtime.dataDir, 'queue', 'unpublished');

/**
 * Notes, before its extract, that a snapshot is to be published: an empty file named by its id
 * under `<data dir>/queue/unpublished/`, removed once its events are on the queue. A run stopped
 * (Ctrl-C, SIGTERM, a kill) after the extract wrote bronze and before the publish sent it leaves
 * the note, and the next cycle publishes that snapshot ({@link publishLeftOver}); without it, the
 * snapshot reached silver and gold but never the real-time table.
 *
 * @example
 * await markUnpublished(runtime, '20261129T213000Z');
 */
export async function markUnpublished(runtime: LocalRuntime, snapshotId: string): Promise<void> {
  const folder = folderOf(runtime);
  await mkdir(folder, { recursive: true });
  await writeFileDurably(join(folder, snapshotId), '', join(folder, `.tmp-${snapshotId}-${process.pid}`));
}

/**
 * Removes a snapshot's note once its events are on the queue.
 *
 * @example
 * await markPublished(runtime, '20261129T213000Z');
 */
export async function markPublished(runtime: LocalRuntime, snapshotId: string): Promise<void> {
  await rm(join(folderOf(runtime), snapshotId), { force: true });
}

/**
 * Publishes every snapshot an earlier run noted and did not publish, other than `except` (the
 * run's own, which it publishes itself), when its bronze object is there and its items would still be live (collected
 * less than `ttlHours` ago); a note of one whose extract never finished, or too old, is removed.
 *
 * @example
 * const leftOver = await publishLeftOver(runtime, { timeZone: 'America/Sao_Paulo', ttlHours: 24, except: ['20261129T213000Z'] });
 */
export async function publishLeftOver(
  runtime: LocalRuntime,
  options: { timeZone: string; ttlHours: number; except?: readonly string[]; now?: Date },
): Promise<LeftOverPublish> {
  const result: LeftOverPublish = { snapshots: 0, events: 0, messages: 0, dropped: 0 };
  const own = new Set(options.except);
  const noted = (await namesInFolder(folderOf(runtime))).filter((name) => isSnapshotId(name) && !own.has(name)).sort();
  if (noted.length === 0) return result;
  const bronzeKeys = new Map(
    (await runtime.store.list(LAKE_PREFIXES.bronze)).flatMap((object) => {
      const parsed = parseSnapshotKey(object.key);
      return parsed ? [[parsed.snapshotId, object.key] as const] : [];
    }),
  );
  const oldest = (options.now ?? new Date()).getTime() - options.ttlHours * 3_600_000;
  for (const snapshotId of noted) {
    const bronzeKey = bronzeKeys.get(snapshotId);
    const collected = Date.parse(snapshotTime(snapshotId)!);
    if (bronzeKey !== undefined && collected > oldest) {
      const published = await publishSnapshot({ store: runtime.store, queue: runtime.queue, bronzeKey, snapshotId, timeZone: options.timeZone });
      result.snapshots += 1;
      result.events += published.events;
      result.messages += published.messages;
    } else if (bronzeKey !== undefined) result.dropped += 1;
    await markPublished(runtime, snapshotId);
  }
  return result;
}
