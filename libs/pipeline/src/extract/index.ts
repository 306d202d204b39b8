export { type BronzeSplit, type SnapshotStamp, type SourceRecord, toBronzeRows } from './bronze-rows';
export { collectionTimeFor } from './collection-time';
export { crawlMinutesLate, recordedCrawlMinutesLate } from './crawl-lateness';
export { allQuarantinedProblem } from './all-quarantined';
export { EarlierSnapshotKeptError } from './earlier-snapshot';
export {
  type CrawlCounts,
  type ExtractSnapshotInput,
  type ExtractSummary,
  extractSnapshot,
  type StreamSource,
} from './extract-snapshot';
export { FutureCollectionTimeError } from './future-collection-time-error';
export { StaleCollectionTimeError } from './stale-collection-time-error';
