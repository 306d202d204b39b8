import { REALTIME_KEYS, type RealtimeItem } from '@twitch-pipeline/schemas';

/** Items of one DynamoDB `BatchWriteItem` call, and of one {@link RealtimeTable.putItems} call. */
export const MAX_ITEMS_PER_BATCH_WRITE = 25;

/** What one batch put cost. */
export interface PutItemsResult {
  /** Items written (after collapsing repeated keys of the batch). */
  written: number;
  /** Write requests made: 1 plus one per retry of unprocessed items. */
  requests: number;
  /** Items that had to be sent again because the table did not process them the first time. */
  retriedItems: number;
}

/** Options of a per-channel query. */
export interface QueryByStreamerOptions {
  /** Items to return at most (default 10). */
  limit?: number;
  /** Only items collected strictly before this ISO-8601 instant (e.g. "the previous sample"). */
  before?: string;
  /**
   * Only items collected strictly after this ISO-8601 instant, returned oldest first (e.g. "the
   * next sample"; DynamoDB's forward query). Not together with `before`.
   */
  after?: string;
  /**
   * Judge expiry at this ISO-8601 instant instead of now: an item alive then is returned though
   * its time to live has passed since (until it is deleted). Alerting asks at the time of the
   * sample it evaluates, so a backfill of days older than the TTL still finds each sample's
   * neighbours.
   */
  asOf?: string;
}

/**
 * Refuses `before` and `after` together: DynamoDB's key condition takes one bound of the sort key
 * per query (BETWEEN is inclusive), so neither adapter offers both.
 *
 * @example
 * checkQueryBounds({ before: '2026-11-29T21:30:00.000Z' }); // fine
 */
export function checkQueryBounds(options: QueryByStreamerOptions): void {
  if (options.before !== undefined && options.after !== undefined) {
    throw new Error('queryByStreamer takes either before or after, not both');
  }
}

/**
 * The real-time table port: DynamoDB in AWS, a folder of append-only segment files locally.
 * Partition key `nome_streamer`, sort key `timestamp`; writing an existing key replaces the
 * item, so redelivered messages rewrite the same items. Expired items (`expira_em` in the
 * past) are never returned.
 */
export interface RealtimeTable {
  /** Human-readable location: a table name or a directory. */
  readonly location: string;
  /** Writes up to {@link MAX_ITEMS_PER_BATCH_WRITE} items as one batch, retrying what the table left unprocessed. */
  putItems(items: readonly RealtimeItem[]): Promise<PutItemsResult>;
  /** Items of one channel, newest first (oldest first with `after`). */
  queryByStreamer(nomeStreamer: string, options?: QueryByStreamerOptions): Promise<RealtimeItem[]>;
}

/**
 * The key of an item as one string (`nome_streamer` and `timestamp`).
 *
 * @example
 * itemKey({ nome_streamer: 'gaules', timestamp: '2026-11-29T21:30:00.000Z' }); // 'gaules\u0000...'
 */
function itemKey(item: Pick<RealtimeItem, 'nome_streamer' | 'timestamp'>): string {
  return `${item[REALTIME_KEYS.partitionKey]}\u0000${item[REALTIME_KEYS.sortKey]}`;
}

/**
 * Checks the batch size and keeps the last item of each repeated key: DynamoDB rejects a
 * batch naming one key twice, and the last write would win anyway.
 *
 * @example
 * const items = latestPerKey(batch);
 */
export function latestPerKey(items: readonly RealtimeItem[]): RealtimeItem[] {
  if (items.length > MAX_ITEMS_PER_BATCH_WRITE) {
    throw new Error(`a batch write holds at most ${MAX_ITEMS_PER_BATCH_WRITE} items, got ${items.length}`);
  }
  return [...new Map(items.map((item) => [itemKey(item), item])).values()];
}
