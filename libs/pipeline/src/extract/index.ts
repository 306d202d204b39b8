export { type BronzeSplit, type SnapshotStamp, type SourceRecord, toBronzeRows } from './bronze-rows';
export { collectionTimeFor } from './collection-time';
export { crawlMinutesLate, recordedCrawlMinutesLate } from './crawl-lateness';
export {
  allQuarantinedProblem,
  type ExtractSnapshotInput,
  type ExtractSummary,
  extractSnapshot,
  FutureCollectionTimeError,
  StaleCollectionTimeError,
  type StreamSource,
} from './extract-snapshot';
