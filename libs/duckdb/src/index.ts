export { DuckDbEngine, type DuckDbEngineOptions, type QueryParams, type Row, withEngine } from './duckdb-engine';
