export { DuckDbEngine, type DuckDbEngineOptions, type QueryParams, type Row, sqlFileList, sqlString, withEngine } from './duckdb-engine';
export { RowAppendError } from './row-append-error';
export { RowAppender } from './row-appender';
export { parquetDataProblem, parquetFileProblem, parquetFileProblems } from './parquet-file-check';
export { parquetKeyValues } from './parquet-key-values';
export { type ParquetSchema, parquetSchemas } from './parquet-schemas';
export { openPipelineInstance, type PipelineInstance, TemporaryFolderError } from './duckdb-instance';
export { availableMemory, defaultMemoryLimit } from './memory-limit';
