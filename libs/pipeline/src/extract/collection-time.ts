/**
 * The collection time a snapshot stands for: the requested (scheduled) time, or now, rounded
 * down to the start of its collection interval in UTC. A schedule that fires a few seconds late,
 * or a retry minutes later, therefore names the same snapshot and rewrites the same objects.
 *
 * @example
 * collectionTimeFor('2026-11-29T21:31:07Z', 30); // 2026-11-29T21:30:00.000Z
 * collectionTimeFor(undefined, 30, new Date('2026-11-29T21:59:59Z')); // 2026-11-29T21:30:00.000Z
 */
export function collectionTimeFor(requested: Date | string | undefined, intervalMinutes: number, now: Date = new Date()): Date {
  const instant = requested === undefined ? now : new Date(requested);
  if (Number.isNaN(instant.getTime())) throw new Error(`invalid collection time "${String(requested)}": expected an ISO-8601 instant`);
  if (!Number.isInteger(intervalMinutes) || intervalMinutes <= 0) throw new Error(`invalid interval ${intervalMinutes}: expected whole minutes > 0`);
  const intervalMs = intervalMinutes * 60_000;
  return new Date(Math.floor(instant.getTime() / intervalMs) * intervalMs);
}
