import type { DuckDbEngineOptions } from '@twitch-pipeline/duckdb';
import type { Logger, Metrics } from '@twitch-pipeline/observability';
import type { ObjectStore } from '@twitch-pipeline/storage';
import type { CorruptObject } from './corrupt-objects';

/** Options of the silver step. */
export interface SilverOptions {
  store: ObjectStore;
  /** Pipeline time zone of `data`, `hora_dia` and `periodo_dia`. */
  timeZone: string;
  /**
   * Fallback schedule period, used only when a bronze row carries no
   * `collection_interval_minutes` (every row written by the extract step carries one).
   */
  intervalMinutes?: number;
  /** Bronze objects to (re)process; absent → every bronze object that has no silver object yet. */
  bronzeKeys?: string[];
  /**
   * With `bronzeKeys`, also every bronze object that has no silver object yet: snapshots an
   * interrupted run left behind, and silver objects the gold step removed as unreadable.
   */
  includePending?: boolean;
  /** How far `started_at` may lie after `collected_at` before a row is quarantined (default 5). */
  maxSkewMinutes?: number;
  /**
   * Read the bronze and silver listings only from this date's partitions on (`YYYY-MM-DD`), for
   * the pending snapshots, the copies under two dates and the stray files: in S3 a listing costs
   * a request per thousand keys, and a year of snapshots is tens of thousands. Earlier partitions
   * are left to a run without it (the Lambda's daily sweep, the CLI's every run).
   */
  listFrom?: string;
  /** DuckDB settings; `threads` sets how many objects are transformed side by side. */
  engineOptions?: DuckDbEngineOptions;
  /**
   * Read before each object: once `stopping` is true no further object is started, and the
   * ones not started are listed in `skipped` (they stay pending for the next run).
   */
  stop?: { readonly stopping: boolean };
  /** Told as each bronze object is done (transformed, failed or set aside), e.g. to move a progress bar. */
  onObjectDone?: (bronzeKey: string) => void;
  logger?: Logger;
  metrics?: Metrics;
}

/** What happened to one bronze object. */
export interface SilverObjectResult {
  snapshotId: string;
  bronzeKey: string;
  silverKey: string;
  rowsIn: number;
  rowsOut: number;
  quarantined: number;
}

/** Result of one silver run; `rowsIn = rowsOut + quarantined` for the processed objects. */
export interface SilverSummary {
  processed: SilverObjectResult[];
  failed: { bronzeKey: string; error: string }[];
  /** Unreadable bronze objects (empty, truncated, torn), moved to `quarantine/corrupt/` with their reason. */
  corrupt: CorruptObject[];
  /** Bronze objects not started because a stop was asked for (see `SilverOptions.stop`). */
  skipped: string[];
  /**
   * Dates whose gold the processed objects change, the input of the gold step: their partition
   * dates, plus the day before (or after) when an object is the first (or last) of its date.
   */
  dates: string[];
  rowsIn: number;
  rowsOut: number;
  quarantined: number;
}

/** Options of the gold step. */
export interface GoldOptions {
  store: ObjectStore;
  /** Dates whose gold partitions are rebuilt from that date's silver objects. */
  dates: string[];
  /**
   * Also rebuild the dates of silver objects that no gold run has folded in yet (their markers
   * under `pending/gold/`: a gold run that failed or never ran, a silver run retried or stopped),
   * and remove the markers this run honours; and rebuild the dates that have silver objects but
   * lack a partition of a gold table. The CLI's cycles and the gold Lambda set it.
   */
  includePending?: boolean;
  /**
   * Set by a run that lists only the partitions from this date on (`YYYY-MM-DD`, see
   * `SilverOptions.listFrom`): it skips what lists the whole history, and leaves it to a run
   * without it: `includePending`'s look for dates with silver but a gold partition missing, and
   * (with a logger) the files in gold no gold step wrote.
   */
  listFrom?: string;
  /** Read before each date: once `stopping` is true no further date is started (see `GoldSummary.skipped`). */
  stop?: { readonly stopping: boolean };
  /** Called as each date is done, published or failed (progress). */
  onDateDone?: (date: string) => void;
  /**
   * How the silver step runs here. With it, a silver object that another version of the silver
   * model wrote (a lake kept across an upgrade) is rebuilt from its bronze object before gold
   * reads it; without it, such an object is left out and reported in `outdated`.
   */
  silver?: Pick<SilverOptions, 'timeZone' | 'intervalMinutes' | 'maxSkewMinutes'>;
  engineOptions?: DuckDbEngineOptions;
  /**
   * About how many samples (silver rows) one window of the estimate of hours watched holds
   * (int_janelas_horas); a date with more is estimated in windows of fewer local hours. It
   * changes the time and memory a date takes, never its rows. Default 1,200,000.
   */
  estimateWindowSamples?: number;
  logger?: Logger;
  metrics?: Metrics;
}

/** A silver object that another version of the silver model wrote, as the gold step met it. */
export interface OutdatedSilverObject {
  key: string;
  /** The model version in its footer; null when it has none (written before objects carried one). */
  found: string | null;
  /** `rebuilt`: rewritten from its bronze object before gold read it; `left out`: not read, see `reason`. */
  action: 'rebuilt' | 'left out';
  reason?: string;
}

/** Result of one gold run. */
export interface GoldSummary {
  /** Every date this run took: those asked for and those pending from earlier runs. */
  dates: string[];
  /** Dates taken only because an earlier run left them pending (see `GoldOptions.includePending`). */
  pendingDates: string[];
  /** Dates that failed, with the error; the other dates were still published, and a failed date stays pending. */
  failed: { date: string; error: string }[];
  /** Dates not started because a stop was asked for; their markers, if any, stay for the next run. */
  skipped: string[];
  /**
   * Published dates up to 7 days after a date rebuilt here, not rebuilt themselves, whose
   * `tendencias_diario` was rewritten: their trends compare them with the days rebuilt.
   */
  trendsRefreshed: string[];
  /** Rows written per gold table, over all dates. */
  tables: Record<string, number>;
  /** Unreadable objects left out: silver ones removed (rebuilt next cycle) or quarantined, earlier gold skipped. */
  corrupt: CorruptObject[];
  /** Silver objects another version of the silver model wrote: rebuilt from bronze, or left out. */
  outdated: OutdatedSilverObject[];
}
