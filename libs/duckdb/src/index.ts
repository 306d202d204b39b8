export { DuckDbEngine, type DuckDbEngineOptions, type QueryParams, type Row, withEngine } from './duckdb-engine';
export { RowAppendError, RowAppender } from './row-appender';
export { parquetFileProblem } from './parquet-file-check';
